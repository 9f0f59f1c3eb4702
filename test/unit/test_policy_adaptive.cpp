#include <atomic>
#include <catch2/catch.hpp>
#include <map>
#include <thread>
#include <vector>

#include "config/model.hpp"
#include "loopback_instance.hpp"
#include "routing/adaptive_policy.hpp"
#include "routing/cluster_routes.hpp"

using namespace zdu;

namespace {

config::Cluster adaptive_cluster(const std::vector<int>& weights) {
    config::Cluster c;
    c.name = "c1";
    c.policy = config::Policy::Adaptive;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        c.instances.push_back(loopback_instance("i" + std::to_string(i + 1), weights[i]));
    }
    return c;
}

// Picks `rounds` times with fixed loads; hits per instance.
template <class Takes>
std::map<int, int> picks(const config::Cluster& c, const std::vector<routing::InstanceLoad>& loads,
                         int rounds, Takes takes) {
    routing::ClusterRoutes routes(c);
    routing::AdaptivePolicy policy(c);
    routing::PolicyRequest request{"GET", "/app/login", "127.0.0.1", ""};
    auto load = [&](int i) { return loads[i]; };
    std::map<int, int> hits;
    for (int k = 0; k < rounds; ++k) ++hits[policy.pick(routes, request, takes, load)];
    return hits;
}

auto always = [](int) { return true; };

routing::InstanceLoad idle(std::uint64_t response_us = 2000, int weight = 100) {
    return {0, response_us, weight};
}

}  // namespace

TEST_CASE("adaptive: equal loads split by weight", "[policy][adaptive]") {
    auto c = adaptive_cluster({100, 300});
    auto hits = picks(c, {idle(), idle()}, 20000, always);
    CHECK(hits[0] == Approx(5000).margin(500));
    CHECK(hits[1] == Approx(15000).margin(500));
    CHECK(hits.count(-1) == 0);
}

TEST_CASE("adaptive: measurement noise does not override the weights", "[policy][adaptive]") {
    auto c = adaptive_cluster({100, 300});
    auto hits = picks(c, {idle(1100), idle(1000)}, 20000, always);
    CHECK(hits[0] == Approx(5000).margin(500));
    hits = picks(c, {idle(1000), idle(1150)}, 20000, always);
    CHECK(hits[1] == Approx(15000).margin(500));
}

TEST_CASE("adaptive: weight 0 and disabled instances are never drawn", "[policy][adaptive]") {
    auto c = adaptive_cluster({100, 0, 100});
    c.instances[2].enabled = false;
    auto hits = picks(c, {idle(), idle(), idle()}, 1000, always);
    CHECK(hits[0] == 1000);
}

TEST_CASE("adaptive: a busy instance gets clearly fewer new sessions", "[policy][adaptive]") {
    auto c = adaptive_cluster({100, 100, 100});
    routing::InstanceLoad busy{40, 2000, 100};
    auto hits = picks(c, {busy, idle(), idle()}, 30000, always);
    CHECK(hits[0] < 30000 / 3 / 10);  // under a tenth of its fair share
    CHECK(hits[1] == Approx(hits[2]).epsilon(0.1));
}

TEST_CASE("adaptive: a slow instance gets clearly fewer new sessions", "[policy][adaptive]") {
    auto c = adaptive_cluster({100, 100});
    auto hits = picks(c, {idle(500000), idle(1000)}, 10000, always);
    CHECK(hits[0] < 500);
    CHECK(hits[1] > 9500);
}

TEST_CASE("adaptive: busy and slow weigh together", "[policy][adaptive]") {
    // 3 in flight at 1 ms costs less than 0 in flight at 10 ms.
    auto c = adaptive_cluster({100, 100});
    auto hits = picks(c, {routing::InstanceLoad{3, 1000, 100}, idle(10000)}, 4000, always);
    CHECK(hits[0] > hits[1] * 4);
}

TEST_CASE("adaptive: an instance without samples competes on requests in flight",
          "[policy][adaptive]") {
    routing::InstanceLoad unknown{0, 0, 100};
    routing::InstanceLoad known{0, 5000, 100};
    // An unknown response time counts as the peer's: equal cost, neither wins by default.
    CHECK(routing::adaptive_cost(unknown, known.response_time_us) ==
          routing::adaptive_cost(known, unknown.response_time_us));
    auto c = adaptive_cluster({100, 100});
    auto hits = picks(c, {unknown, known}, 10000, always);
    CHECK(hits[0] == Approx(5000).margin(500));
    routing::InstanceLoad unknown_busy{5, 0, 100};
    hits = picks(c, {unknown_busy, known}, 10000, always);
    CHECK(hits[0] < 1000);
}

TEST_CASE("adaptive: instances takes() rejects are never chosen", "[policy][adaptive]") {
    auto c = adaptive_cluster({100, 100, 100, 100});
    auto only_odd = [](int i) { return i % 2 == 1; };
    auto hits = picks(c, {idle(), idle(), idle(), idle()}, 4000, only_odd);
    CHECK(hits.count(0) == 0);
    CHECK(hits.count(2) == 0);
    CHECK(hits.count(-1) == 0);
    CHECK(hits[1] + hits[3] == 4000);
}

TEST_CASE("adaptive: one usable instance among many is found", "[policy][adaptive]") {
    auto c = adaptive_cluster(std::vector<int>(50, 100));
    auto only_last = [](int i) { return i == 49; };
    auto hits = picks(c, std::vector<routing::InstanceLoad>(50, idle()), 200, only_last);
    CHECK(hits[49] == 200);
}

TEST_CASE("adaptive: none usable or none scheduled gives -1", "[policy][adaptive]") {
    auto c = adaptive_cluster({100, 100});
    auto hits = picks(c, {idle(), idle()}, 10, [](int) { return false; });
    CHECK(hits[-1] == 10);
    auto none = adaptive_cluster({0, 0});
    CHECK(picks(none, {idle(), idle()}, 10, always)[-1] == 10);
    CHECK(picks(adaptive_cluster({}), {}, 10, always)[-1] == 10);
}

TEST_CASE("adaptive: constant work per decision, whatever the cluster size", "[policy][adaptive]") {
    const int n = 5000;
    auto c = adaptive_cluster(std::vector<int>(n, 100));
    routing::ClusterRoutes routes(c);
    routing::AdaptivePolicy policy(c);
    routing::PolicyRequest request{"GET", "/", "", ""};
    int takes_calls = 0;
    int load_calls = 0;
    auto takes = [&](int) {
        ++takes_calls;
        return true;
    };
    auto load = [&](int) {
        ++load_calls;
        return idle();
    };
    for (int k = 0; k < 1000; ++k) {
        takes_calls = load_calls = 0;
        REQUIRE(policy.pick(routes, request, takes, load) >= 0);
        CHECK(takes_calls <= 8);
        CHECK(load_calls == 2);
    }
}

TEST_CASE("adaptive: concurrent picks from many threads", "[policy][adaptive]") {
    auto c = adaptive_cluster({100, 100, 100});
    routing::ClusterRoutes routes(c);
    routing::AdaptivePolicy policy(c);
    std::vector<routing::InstanceLoad> loads{{30, 2000, 100}, idle(), idle()};
    std::atomic<int> counts[3] = {};
    std::atomic<int> invalid{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&] {
            routing::PolicyRequest request{"GET", "/", "", ""};
            auto load = [&](int i) { return loads[i]; };
            for (int k = 0; k < 5000; ++k) {
                int i = policy.pick(routes, request, always, load);
                if (i < 0 || i > 2) {
                    ++invalid;
                } else {
                    ++counts[i];
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(invalid == 0);
    CHECK(counts[0] < 40000 / 30);
    CHECK(counts[1] + counts[2] > 38000);
}
