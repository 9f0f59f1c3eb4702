#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "health/ping_pool.hpp"
#include "test_health_server.hpp"

using namespace zdu::health;
using zdu::test::TestServer;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

PingTarget local(std::uint16_t port) {
    return PingTarget{"127.0.0.1", port, "/health"};
}

// Collects until `count` pings have finished or 5 s have passed.
std::vector<PingPool::Finished> collect_all(PingPool& pool, std::size_t count) {
    std::vector<PingPool::Finished> all;
    const auto give_up = Clock::now() + 5s;
    while (all.size() < count && Clock::now() < give_up) {
        for (auto& f : pool.collect()) all.push_back(std::move(f));
        std::this_thread::sleep_for(10ms);
    }
    return all;
}

}  // namespace

TEST_CASE("pings of a round run at once, not one after another", "[health][pool]") {
    TestServer silent(TestServer::Mode::Silent);
    PingPool pool;
    const auto start = Clock::now();
    for (std::size_t id = 0; id < 4; ++id) REQUIRE(pool.start(id, local(silent.port()), 500ms));
    CHECK(pool.in_flight() == 4);
    auto done = collect_all(pool, 4);
    REQUIRE(done.size() == 4);
    CHECK(Clock::now() - start < 1500ms);  // one after another: 2 s
    for (const auto& f : done) CHECK(f.result.error.find("timed out") != std::string::npos);
    CHECK(pool.in_flight() == 0);
}

TEST_CASE("an instance is never pinged twice at once", "[health][pool]") {
    TestServer silent(TestServer::Mode::Silent);
    TestServer healthy(TestServer::Mode::Answer, 200);
    PingPool pool;
    REQUIRE(pool.start(7, local(silent.port()), 300ms));
    CHECK(pool.running(7));
    CHECK_FALSE(pool.start(7, local(healthy.port()), 300ms));
    REQUIRE(pool.start(8, local(healthy.port()), 2000ms));
    auto done = collect_all(pool, 2);
    REQUIRE(done.size() == 2);
    for (const auto& f : done) {
        CHECK(f.result.healthy() == (f.id == 8));
    }
    CHECK(healthy.accepted() == 1);
    CHECK_FALSE(pool.running(7));
    CHECK(pool.start(7, local(healthy.port()), 2000ms));
}

TEST_CASE("stopping cancels running pings instead of waiting for them", "[health][pool]") {
    TestServer silent(TestServer::Mode::Silent);
    PingPool pool;
    REQUIRE(pool.start(1, local(silent.port()), 10000ms));
    REQUIRE(pool.start(2, local(silent.port()), 10000ms));
    std::this_thread::sleep_for(50ms);
    const auto start = Clock::now();
    pool.stop();
    CHECK(Clock::now() - start < 2s);
    CHECK(pool.in_flight() == 0);
    CHECK_FALSE(pool.start(3, local(silent.port()), 10000ms));
}

TEST_CASE("a pool destroyed with pings running stops them", "[health][pool]") {
    TestServer silent(TestServer::Mode::Silent);
    const auto start = Clock::now();
    {
        PingPool pool;
        REQUIRE(pool.start(1, local(silent.port()), 10000ms));
    }
    CHECK(Clock::now() - start < 2s);
}
