// Passive failure detection: what failures of live traffic do to an instance. A slow request is
// not a dead instance, so a response timeout or a proxy-made 5xx only counts; the instance is
// taken out after `failures_in_a_row` of them with no success in between. A connect failure
// takes it out at once (nothing answers there). Either way passive detection never takes out
// the last healthy instances of a cluster (fail open, like Envoy's panic threshold): with every
// instance failing, serving from some is better than refusing every request.
//
// All of it is lock-free on the shared records: a count per instance, a compare-and-swap to take
// it out, then a recount of the cluster (see note_passive_failure).
#pragma once

#include <cstdint>

#include "routing/function_ref.hpp"
#include "state/instance_health.hpp"

namespace zdu::state {

struct PassiveRule {
    std::uint32_t failures_in_a_row = 3;  // zdu-passive-failures-in-a-row
    int min_healthy_percent = 0;          // zdu-passive-min-healthy-percent
};

// Whether the streak-th failure in a row of this kind takes an instance out.
bool reaches_limit(const PassiveRule& rule, Failure why, std::uint32_t streak);

// How many healthy instances passive detection leaves a cluster of `members` that can serve:
// min_healthy_percent of them rounded up, and never fewer than one.
int min_healthy(const PassiveRule& rule, int members);

// Healthy for passive detection's count: not failed and not stopped by the manager.
bool counts_as_healthy(const SharedRecord& r);

// The instances of one cluster: member(i) for i in [0, count), null for one that cannot serve
// at all (no worker), which counts neither way.
struct ClusterMembers {
    int count;
    routing::FunctionRef<const SharedRecord*(int)> member;
};

struct PassiveResult {
    enum class Kind {
        Counted,   // below the limit: the instance stays in
        TakenOut,  // this call took it out (exactly one caller sees this per transition)
        AlreadyOut,
        KeptOpen,  // at the limit, but taking it out would leave too few healthy instances
    };
    Kind kind;
    std::uint32_t streak;  // failures in a row, this one included
};

// Counts one failure of live traffic on `r`, a member of `cluster`, and takes the instance out
// when the rule says so and the cluster keeps min_healthy() healthy instances without it.
PassiveResult note_passive_failure(SharedRecord& r, Failure why, std::int64_t now_ms,
                                   const PassiveRule& rule, const ClusterMembers& cluster);

// A success ends the instance's failures in a row; returns how many there were. Writes only when
// there were any, so the common case leaves the shared cache line alone.
std::uint32_t note_passive_success(SharedRecord& r);

// Whether the instance's failures in a row have reached what would take it out (a connect
// failure reaches it at once).
bool at_limit(const PassiveRule& rule, const SharedRecord& r);

// Whether passive detection is keeping an instance of the cluster in that it would otherwise
// have taken out: a healthy member at its limit.
bool keeps_any_open(const PassiveRule& rule, const ClusterMembers& cluster);

// The cluster record's fail-open episode: true for the one call that starts it (resp. ends it),
// so each episode is logged once. An episode ends only once keeps_any_open() is false.
bool begin_fail_open(SharedRecord& cluster, std::int64_t now_ms);
bool end_fail_open(SharedRecord& cluster);
inline bool fail_open_active(const SharedRecord& cluster) {
    return cluster.fail_open_since_ms.load(std::memory_order_relaxed) != 0;
}

}  // namespace zdu::state
