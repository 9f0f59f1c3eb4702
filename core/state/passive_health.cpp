#include "state/passive_health.hpp"

namespace zdu::state {
namespace {

int healthy_members(const ClusterMembers& cluster) {
    int healthy = 0;
    for (int i = 0; i < cluster.count; ++i) {
        const SharedRecord* m = cluster.member(i);
        if (m && counts_as_healthy(*m)) ++healthy;
    }
    return healthy;
}

int present_members(const ClusterMembers& cluster) {
    int present = 0;
    for (int i = 0; i < cluster.count; ++i) present += cluster.member(i) ? 1 : 0;
    return present;
}

void note_error(SharedRecord& r, Failure why, std::int64_t now_ms) {
    r.failures.fetch_add(1, std::memory_order_relaxed);
    r.last_error.store(static_cast<std::uint32_t>(why), std::memory_order_relaxed);
    r.last_error_ms.store(now_ms, std::memory_order_relaxed);
}

}  // namespace

bool reaches_limit(const PassiveRule& rule, Failure why, std::uint32_t streak) {
    if (why == Failure::None) return false;
    return why == Failure::Connect || streak >= rule.failures_in_a_row;
}

int min_healthy(const PassiveRule& rule, int members) {
    const int share = (members * rule.min_healthy_percent + 99) / 100;
    return share > 1 ? share : 1;
}

bool counts_as_healthy(const SharedRecord& r) {
    // seq_cst, with the compare-and-swap in note_passive_failure: see there.
    return r.unhealthy_since_ms.load(std::memory_order_seq_cst) == 0 &&
           admin_state(r) != AdminState::Stopped;
}

PassiveResult note_passive_failure(SharedRecord& r, Failure why, std::int64_t now_ms,
                                   const PassiveRule& rule, const ClusterMembers& cluster) {
    note_error(r, why, now_ms);
    const std::uint32_t streak = r.failure_streak.fetch_add(1, std::memory_order_relaxed) + 1;
    using Kind = PassiveResult::Kind;
    if (!is_healthy(r)) return {Kind::AlreadyOut, streak};
    if (!reaches_limit(rule, why, streak)) return {Kind::Counted, streak};
    // Take it out first, then count who is left. Two processes taking out two instances at once
    // each write their own record, then read all (sequentially consistent): at least one of them
    // sees both changes, so they cannot both leave the cluster below the minimum. Whoever finds
    // too few puts its instance back; at worst both do and the next failure tries again.
    const std::int64_t mine = now_ms > 0 ? now_ms : 1;
    std::int64_t healthy = 0;
    if (!r.unhealthy_since_ms.compare_exchange_strong(healthy, mine, std::memory_order_seq_cst)) {
        return {Kind::AlreadyOut, streak};
    }
    if (healthy_members(cluster) >= min_healthy(rule, present_members(cluster))) {
        return {Kind::TakenOut, streak};
    }
    std::int64_t expected = mine;
    r.unhealthy_since_ms.compare_exchange_strong(expected, 0, std::memory_order_seq_cst);
    return {Kind::KeptOpen, streak};
}

std::uint32_t note_passive_success(SharedRecord& r) {
    const std::uint32_t streak = r.failure_streak.load(std::memory_order_relaxed);
    if (streak == 0) return 0;
    return r.failure_streak.exchange(0, std::memory_order_relaxed);
}

bool at_limit(const PassiveRule& rule, const SharedRecord& r) {
    const std::uint32_t streak = r.failure_streak.load(std::memory_order_relaxed);
    const auto last = static_cast<Failure>(r.last_error.load(std::memory_order_relaxed));
    return streak > 0 && reaches_limit(rule, last, streak);
}

bool keeps_any_open(const PassiveRule& rule, const ClusterMembers& cluster) {
    for (int i = 0; i < cluster.count; ++i) {
        const SharedRecord* m = cluster.member(i);
        if (m && counts_as_healthy(*m) && at_limit(rule, *m)) return true;
    }
    return false;
}

bool begin_fail_open(SharedRecord& cluster, std::int64_t now_ms) {
    std::int64_t none = 0;
    return cluster.fail_open_since_ms.compare_exchange_strong(none, now_ms > 0 ? now_ms : 1,
                                                              std::memory_order_relaxed);
}

bool end_fail_open(SharedRecord& cluster) {
    if (cluster.fail_open_since_ms.load(std::memory_order_relaxed) == 0) return false;
    return cluster.fail_open_since_ms.exchange(0, std::memory_order_relaxed) != 0;
}

}  // namespace zdu::state
