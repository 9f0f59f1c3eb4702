#include <atomic>
#include <catch2/catch.hpp>
#include <string>
#include <thread>
#include <vector>

#include "state/spare_claims.hpp"

using namespace zdu::state;

namespace {

struct Table {
    explicit Table(std::size_t capacity = 64)
        : memory(SharedTable::bytes_for(capacity) / 8 + 1),
          table(SharedTable::create(memory.data(), capacity)) {}
    std::vector<std::uint64_t> memory;
    SharedTable table;
};

}  // namespace

TEST_CASE("spare claims: one spare per cluster, lowest free first, none past the reserve",
          "[state]") {
    Table t;
    SpareClaims claims(t.table, 2, 1);
    CHECK(claims.find("a") == -1);
    bool fresh = false;
    CHECK(claims.claim("a", &fresh) == 0);
    CHECK(fresh);
    CHECK(claims.claim("b") == 1);
    CHECK(claims.claim("a", &fresh) == 0);  // its own claim again, not a new spare
    CHECK_FALSE(fresh);
    CHECK(claims.find("b") == 1);
    CHECK(claims.claim("c") == -1);
    CHECK(claims.find("c") == -1);
    CHECK(claims.used() == 2);
    CHECK(claims.total() == 2);
}

TEST_CASE("spare claims are seen by another view of the same memory", "[state]") {
    Table t;
    SpareClaims here(t.table, 3, 7);
    REQUIRE(here.claim("x") == 0);
    SharedTable attached = SharedTable::attach(t.memory.data());
    SpareClaims there(attached, 3, 7);
    CHECK(there.find("x") == 0);
    CHECK(there.claim("y") == 1);
    CHECK(here.find("y") == 1);
}

TEST_CASE("spare claims of an older generation are free, those of a newer one are not", "[state]") {
    Table t;
    SpareClaims before(t.table, 2, 5);
    REQUIRE(before.claim("old-a") == 0);
    REQUIRE(before.claim("old-b") == 1);
    SpareClaims after(t.table, 2, 6);  // a graceful restart later
    CHECK(after.used() == 0);
    CHECK(after.find("old-a") == -1);
    CHECK(after.claim("new") == 0);
    // A child of the old generation, still running, never takes the new generation's claim.
    CHECK(before.claim("late") == -1);
    CHECK(before.find("old-b") == 1);
    CHECK(after.claim("old-b") == 1);
    CHECK(after.used() == 2);
}

TEST_CASE("spare claim generations wrap around 2^16", "[state]") {
    Table t;
    SpareClaims last(t.table, 1, 0xffff);
    REQUIRE(last.claim("a") == 0);
    SpareClaims wrapped(t.table, 1, 0x10000);  // 0 in 16 bits: newer, not older
    CHECK(wrapped.claim("b") == 0);
    CHECK(last.claim("a") == -1);
}

TEST_CASE("spare claims: a full table claims nothing", "[state]") {
    Table t(8);
    for (std::uint64_t k = 1; k <= 8; ++k) REQUIRE(t.table.claim(k * 1000003) != nullptr);
    SpareClaims claims(t.table, 2, 1);
    CHECK(claims.claim("a") == -1);
    CHECK(claims.used() == 0);
}

// Threads race for the same spares, several for each cluster, many times: every cluster ends on
// one spare, no two clusters share one, and exactly the reserve is handed out.
TEST_CASE("concurrent spare claims agree on one spare per cluster", "[state]") {
    constexpr int kSpares = 4, kClusters = 6, kThreads = 12;
    for (int round = 0; round < 200; ++round) {
        Table t;
        std::atomic<int> ready{0};
        std::vector<int> got(kThreads, -2);
        std::atomic<int> fresh_claims{0};
        std::vector<std::thread> threads;
        for (int th = 0; th < kThreads; ++th) {
            threads.emplace_back([&, th] {
                SpareClaims claims(t.table, kSpares, 3);
                ready.fetch_add(1);
                while (ready.load() < kThreads) {
                }
                bool fresh = false;
                got[th] = claims.claim("c" + std::to_string(th % kClusters), &fresh);
                fresh_claims.fetch_add(fresh ? 1 : 0);
            });
        }
        for (auto& th : threads) th.join();
        std::vector<int> spare_of(kClusters, -2);
        std::vector<int> owner(kSpares, -1);
        for (int th = 0; th < kThreads; ++th) {
            int c = th % kClusters;
            if (spare_of[c] == -2) spare_of[c] = got[th];
            REQUIRE(got[th] == spare_of[c]);
            if (got[th] < 0) continue;
            REQUIRE((owner[got[th]] == -1 || owner[got[th]] == c));
            owner[got[th]] = c;
        }
        int claimed = 0;
        for (int o : owner) claimed += o >= 0;
        REQUIRE(claimed == kSpares);
        REQUIRE(fresh_claims.load() == kSpares);  // each claim made (and logged) once
    }
}
