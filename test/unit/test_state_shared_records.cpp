#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "state/record_keys.hpp"
#include "state/shared_records.hpp"

using namespace zdu::state;

TEST_CASE("shared table claims and finds records by key", "[state]") {
    std::vector<std::uint64_t> memory(SharedTable::bytes_for(16) / 8 + 1);
    auto table = SharedTable::create(memory.data(), 16);
    CHECK(table.capacity() == 16);
    SharedRecord* a = table.claim(instance_key("c", "a"));
    REQUIRE(a != nullptr);
    CHECK(table.claim(instance_key("c", "a")) == a);
    CHECK(table.find(instance_key("c", "a")) == a);
    CHECK(table.find(instance_key("c", "b")) == nullptr);
    CHECK(table.used() == 1);
    a->requests.fetch_add(3);
    auto again = SharedTable::attach(memory.data());
    CHECK(again.find(instance_key("c", "a"))->requests.load() == 3);
}

// Keys that are multiples of the capacity all have home slot 0, so each claim probes past the
// records of the others: the path where a slot is taken by another key.
TEST_CASE("shared table reports full instead of overwriting", "[state]") {
    std::vector<std::uint64_t> memory(SharedTable::bytes_for(8) / 8 + 1);
    auto table = SharedTable::create(memory.data(), 8);
    for (std::uint64_t k = 1; k <= 8; ++k) {
        SharedRecord* r = table.claim(k * 8);
        REQUIRE(r != nullptr);
        r->requests.store(k);
    }
    CHECK(table.claim(9 * 8) == nullptr);
    CHECK(table.find(9 * 8) == nullptr);
    for (std::uint64_t k = 1; k <= 8; ++k) {
        REQUIRE(table.find(k * 8) != nullptr);
        CHECK(table.find(k * 8)->key.load() == k * 8);
        CHECK(table.find(k * 8)->requests.load() == k);
    }
    CHECK(table.used() == 8);
}

// Every thread claims the same colliding keys (one home slot), each in its own order, so
// compare-and-swaps on one slot race between different keys: a loser must probe on, not take
// the winner's record. The threads start together, and the race is run many times.
TEST_CASE("concurrent claims of colliding keys give one record per key", "[state]") {
    constexpr std::uint64_t kCapacity = 256, kKeys = 199, kThreads = 4;  // 199: prime
    for (int round = 0; round < 200; ++round) {
        std::vector<std::uint64_t> memory(SharedTable::bytes_for(kCapacity) / 8 + 1);
        auto table = SharedTable::create(memory.data(), kCapacity);
        std::atomic<int> ready{0};
        std::vector<std::thread> threads;
        for (std::uint64_t t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                ready.fetch_add(1);
                while (ready.load() < static_cast<int>(kThreads)) {
                }
                for (std::uint64_t i = 0; i < kKeys; ++i) {
                    // An odd step below the prime kKeys visits every key once, in its own order.
                    std::uint64_t k = (i * (2 * t + 1) + t * 37) % kKeys + 1;
                    table.claim(k * kCapacity)->requests.fetch_add(1);
                }
            });
        }
        for (auto& th : threads) th.join();
        REQUIRE(table.used() == kKeys);
        for (std::uint64_t k = 1; k <= kKeys; ++k) {
            SharedRecord* r = table.find(k * kCapacity);
            REQUIRE(r != nullptr);
            REQUIRE(r->key.load() == k * kCapacity);
            REQUIRE(r->requests.load() == kThreads);
        }
    }
}

TEST_CASE("concurrent claims of one key give one record", "[state]") {
    std::vector<std::uint64_t> memory(SharedTable::bytes_for(1024) / 8 + 1);
    auto table = SharedTable::create(memory.data(), 1024);
    std::vector<std::thread> threads;
    std::vector<SharedRecord*> got(8);
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] { got[t] = table.claim(42 * 1024); });
    }
    for (auto& th : threads) th.join();
    for (auto* g : got) CHECK(g == got[0]);
    CHECK(table.used() == 1);
}

TEST_CASE("record keys differ by kind and name", "[state]") {
    CHECK(instance_key("c", "a") != instance_key("c", "b"));
    CHECK(instance_key("c", "a") != web_module_key("c", "a"));
    CHECK(cluster_key("c") != instance_key("c", ""));
    CHECK(instance_key("ab", "c") != instance_key("a", "bc"));
}
