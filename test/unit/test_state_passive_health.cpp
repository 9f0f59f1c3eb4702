// Passive failure detection on shared records: counts in a row, connect failures at once, and
// never the last healthy instances of a cluster.
#include <atomic>
#include <catch2/catch.hpp>
#include <functional>
#include <thread>
#include <vector>

#include "state/passive_health.hpp"

using namespace zdu::state;
using Kind = PassiveResult::Kind;

namespace {

struct Cluster {
    explicit Cluster(int n) : memory(SharedTable::bytes_for(64) / 8 + 1) {
        table = SharedTable::create(memory.data(), 64);
        for (int i = 0; i < n; ++i) records.push_back(table.claim(100 + i));
    }
    ClusterMembers members() { return {static_cast<int>(records.size()), member}; }
    PassiveResult fail(int i, Failure why, const PassiveRule& rule = {}) {
        return note_passive_failure(*records[i], why, 1000, rule, members());
    }
    int healthy() const {
        int n = 0;
        for (auto* r : records) n += counts_as_healthy(*r) ? 1 : 0;
        return n;
    }

    std::vector<std::uint64_t> memory;
    SharedTable table = SharedTable::create(memory.data(), 64);
    std::vector<SharedRecord*> records;
    std::function<const SharedRecord*(int)> member = [this](int i) { return records[i]; };
};

}  // namespace

TEST_CASE("timeouts and resets take an instance out only after N in a row", "[state][passive]") {
    Cluster c(3);
    CHECK(c.fail(0, Failure::Timeout).kind == Kind::Counted);
    CHECK(c.fail(0, Failure::Reset).kind == Kind::Counted);
    const PassiveResult third = c.fail(0, Failure::Timeout);
    CHECK(third.kind == Kind::TakenOut);
    CHECK(third.streak == 3);
    CHECK_FALSE(is_healthy(*c.records[0]));
    CHECK(c.fail(0, Failure::Timeout).kind == Kind::AlreadyOut);
    CHECK(c.records[0]->failures.load() == 4);
    CHECK(c.records[0]->last_error.load() == static_cast<std::uint32_t>(Failure::Timeout));
}

TEST_CASE("a success between failures starts the passive count again", "[state][passive]") {
    Cluster c(3);
    c.fail(1, Failure::Timeout);
    c.fail(1, Failure::Timeout);
    CHECK(note_passive_success(*c.records[1]) == 2);
    CHECK(note_passive_success(*c.records[1]) == 0);
    CHECK(c.fail(1, Failure::Timeout).kind == Kind::Counted);
    CHECK(c.fail(1, Failure::Timeout).kind == Kind::Counted);
    CHECK(is_healthy(*c.records[1]));
}

TEST_CASE("a connect failure takes an instance out at once", "[state][passive]") {
    Cluster c(2);
    CHECK(c.fail(0, Failure::Connect).kind == Kind::TakenOut);
    CHECK(reaches_limit(PassiveRule{}, Failure::Connect, 1));
    CHECK_FALSE(reaches_limit(PassiveRule{}, Failure::None, 100));
}

TEST_CASE("the limit is configurable; 1 is GlassFish's first-failure rule", "[state][passive]") {
    Cluster c(3);
    PassiveRule rule;
    rule.failures_in_a_row = 1;
    CHECK(c.fail(2, Failure::Timeout, rule).kind == Kind::TakenOut);
}

TEST_CASE("passive detection never takes out the last healthy instance", "[state][passive]") {
    Cluster c(3);
    CHECK(c.fail(0, Failure::Connect).kind == Kind::TakenOut);
    CHECK(c.fail(1, Failure::Connect).kind == Kind::TakenOut);
    const PassiveResult kept = c.fail(2, Failure::Connect);
    CHECK(kept.kind == Kind::KeptOpen);
    CHECK(is_healthy(*c.records[2]));
    CHECK(c.records[2]->unhealthy_total_ms.load() == 0);
    CHECK(c.fail(2, Failure::Connect).kind == Kind::KeptOpen);
    mark_healthy(*c.records[0], 2000);  // e.g. its retry interval passed
    CHECK(c.fail(2, Failure::Connect).kind == Kind::TakenOut);
}

TEST_CASE("a stopped instance does not count as healthy", "[state][passive]") {
    Cluster c(2);
    c.records[1]->admin_state.store(static_cast<std::uint32_t>(AdminState::Stopped));
    CHECK(c.fail(0, Failure::Connect).kind == Kind::KeptOpen);
}

TEST_CASE("members without a worker count neither way", "[state][passive]") {
    Cluster c(3);
    c.member = [&c](int i) { return i == 1 ? nullptr : c.records[i]; };
    CHECK(c.fail(0, Failure::Connect).kind == Kind::TakenOut);
    CHECK(c.fail(2, Failure::Connect).kind == Kind::KeptOpen);
}

TEST_CASE("the minimum is a share of the cluster, rounded up, at least one", "[state][passive]") {
    PassiveRule rule;
    CHECK(min_healthy(rule, 0) == 1);
    CHECK(min_healthy(rule, 10) == 1);
    rule.min_healthy_percent = 50;
    CHECK(min_healthy(rule, 3) == 2);
    CHECK(min_healthy(rule, 4) == 2);
    rule.min_healthy_percent = 34;
    CHECK(min_healthy(rule, 3) == 2);
    rule.min_healthy_percent = 33;
    CHECK(min_healthy(rule, 3) == 1);
    rule.min_healthy_percent = 100;
    CHECK(min_healthy(rule, 5) == 5);

    Cluster c(4);
    rule.min_healthy_percent = 50;
    CHECK(c.fail(0, Failure::Connect, rule).kind == Kind::TakenOut);
    CHECK(c.fail(1, Failure::Connect, rule).kind == Kind::TakenOut);
    CHECK(c.fail(2, Failure::Connect, rule).kind == Kind::KeptOpen);
    CHECK(c.healthy() == 2);
}

TEST_CASE("instances failing at once in many threads never leave the cluster below the minimum",
          "[state][passive]") {
    for (int round = 0; round < 50; ++round) {
        Cluster c(8);
        PassiveRule rule;
        rule.min_healthy_percent = 25;  // keeps 2 of 8
        std::atomic<int> ready{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 8; ++i) {
            threads.emplace_back([&, i] {
                ready.fetch_add(1);
                while (ready.load() < 8) {
                }
                for (int k = 0; k < 20; ++k) c.fail(i, Failure::Connect, rule);
            });
        }
        for (auto& t : threads) t.join();
        CHECK(c.healthy() >= 2);
    }
}

TEST_CASE("a fail-open episode begins and ends once", "[state][passive]") {
    Cluster c(1);
    SharedRecord& cluster = *c.table.claim(7);
    CHECK_FALSE(end_fail_open(cluster));
    CHECK(begin_fail_open(cluster, 5000));
    CHECK_FALSE(begin_fail_open(cluster, 6000));
    CHECK(cluster.fail_open_since_ms.load() == 5000);
    CHECK(end_fail_open(cluster));
    CHECK_FALSE(end_fail_open(cluster));
}

TEST_CASE("recovering clears the failures in a row", "[state][passive]") {
    Cluster c(3);
    c.fail(0, Failure::Timeout);
    c.fail(0, Failure::Timeout);
    c.fail(0, Failure::Timeout);
    CHECK(mark_healthy(*c.records[0], 3000));
    CHECK(c.records[0]->failure_streak.load() == 0);
    CHECK(c.fail(0, Failure::Timeout).kind == Kind::Counted);
}

TEST_CASE("an instance kept in is at its limit until it answers", "[state][passive]") {
    Cluster c(2);
    PassiveRule rule;
    CHECK_FALSE(keeps_any_open(rule, c.members()));
    CHECK(c.fail(0, Failure::Timeout).kind == Kind::Counted);
    CHECK_FALSE(at_limit(rule, *c.records[0]));
    CHECK(c.fail(1, Failure::Connect).kind == Kind::TakenOut);
    CHECK_FALSE(keeps_any_open(rule, c.members()));  // the one out does not count
    CHECK(c.fail(0, Failure::Timeout).kind == Kind::Counted);
    CHECK(c.fail(0, Failure::Timeout).kind == Kind::KeptOpen);
    CHECK(at_limit(rule, *c.records[0]));
    CHECK(keeps_any_open(rule, c.members()));
    note_passive_success(*c.records[0]);
    CHECK_FALSE(keeps_any_open(rule, c.members()));
}

TEST_CASE("an instance kept in after a connect failure is at its limit at once",
          "[state][passive]") {
    Cluster c(1);
    CHECK(c.fail(0, Failure::Connect).kind == Kind::KeptOpen);
    CHECK(c.records[0]->failure_streak.load() == 1);
    CHECK(keeps_any_open(PassiveRule{}, c.members()));
}
