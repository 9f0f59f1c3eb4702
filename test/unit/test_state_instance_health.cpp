#include <catch2/catch.hpp>
#include <vector>

#include "state/instance_health.hpp"

using namespace zdu::state;

TEST_CASE("health transitions are reported once and timed", "[state][health]") {
    std::vector<std::uint64_t> memory(SharedTable::bytes_for(8) / 8 + 1);
    auto table = SharedTable::create(memory.data(), 8);
    SharedRecord& r = *table.claim(7);
    CHECK(is_healthy(r));
    CHECK(mark_unhealthy(r, Failure::Connect, 1000));
    CHECK_FALSE(mark_unhealthy(r, Failure::Timeout, 1500));
    CHECK_FALSE(is_healthy(r));
    CHECK(r.failures.load() == 2);
    CHECK(r.last_error.load() == static_cast<std::uint32_t>(Failure::Timeout));
    CHECK(mark_healthy(r, 4000));
    CHECK_FALSE(mark_healthy(r, 5000));
    CHECK(r.unhealthy_total_ms.load() == 3000);
    CHECK(failure_name(Failure::Connect) == "connect failed");
}

TEST_CASE("response time is a moving average", "[state][health]") {
    std::vector<std::uint64_t> memory(SharedTable::bytes_for(8) / 8 + 1);
    auto table = SharedTable::create(memory.data(), 8);
    SharedRecord& r = *table.claim(7);
    note_response_time(r, 800);
    CHECK(r.response_time_us.load() == 800);
    for (int i = 0; i < 50; ++i) note_response_time(r, 8000);
    CHECK(r.response_time_us.load() > 7000);
}

TEST_CASE("the average folds each sample in with weight 1/8", "[state][health]") {
    CHECK(folded_response_time(0, 800) == 800);
    CHECK(folded_response_time(800, 800) == 800);
    CHECK(folded_response_time(800, 1600) == 900);
    CHECK(folded_response_time(8000, 0) == 7000);
}
