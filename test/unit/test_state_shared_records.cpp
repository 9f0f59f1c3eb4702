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

TEST_CASE("shared table reports full instead of overwriting", "[state]") {
    std::vector<std::uint64_t> memory(SharedTable::bytes_for(8) / 8 + 1);
    auto table = SharedTable::create(memory.data(), 8);
    for (std::uint64_t k = 1; k <= 8; ++k) REQUIRE(table.claim(k) != nullptr);
    CHECK(table.claim(99) == nullptr);
    CHECK(table.find(5) != nullptr);
}

TEST_CASE("concurrent claims of one key give one record", "[state]") {
    std::vector<std::uint64_t> memory(SharedTable::bytes_for(1024) / 8 + 1);
    auto table = SharedTable::create(memory.data(), 1024);
    std::vector<std::thread> threads;
    std::vector<SharedRecord*> got(8);
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (std::uint64_t k = 1; k <= 500; ++k) table.claim(k)->requests.fetch_add(1);
            got[t] = table.claim(42);
        });
    }
    for (auto& th : threads) th.join();
    CHECK(table.used() == 500);
    for (auto* g : got) CHECK(g == got[0]);
    CHECK(table.find(42)->requests.load() == 8);
}

TEST_CASE("record keys differ by kind and name", "[state]") {
    CHECK(instance_key("c", "a") != instance_key("c", "b"));
    CHECK(instance_key("c", "a") != web_module_key("c", "a"));
    CHECK(cluster_key("c") != instance_key("c", ""));
    CHECK(instance_key("ab", "c") != instance_key("a", "bc"));
}
