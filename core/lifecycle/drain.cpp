#include "lifecycle/drain.hpp"

namespace zdu::lifecycle {
namespace {

// Nothing left on the instance that a stop would break. Untracked sessions and a table that
// may not know every session block it as firmly as tracked ones: a stop then would log users
// out the module simply cannot see.
bool empty(const DrainFacts& f) {
    return f.live == 0 && f.untracked == 0 && f.in_flight == 0 && !f.sessions_unknown;
}

}  // namespace

std::string_view reported_name(Reported r) {
    switch (r) {
        case Reported::Active:
            return "active";
        case Reported::Draining:
            return "draining";
        case Reported::Drained:
            return "drained";
        case Reported::Stopped:
            return "stopped";
        case Reported::Unhealthy:
            return "unhealthy";
    }
    return "active";
}

DrainState next_state(DrainState now, const DrainFacts& facts) {
    switch (now) {
        case DrainState::Active:
            // Always through Draining, even when already empty: the move to Drained is the one
            // place that logs and runs the drained command.
            return facts.retiring ? DrainState::Draining : DrainState::Active;
        case DrainState::Draining:
            if (!facts.retiring) return DrainState::Active;
            return empty(facts) || facts.deadline_passed ? DrainState::Drained
                                                         : DrainState::Draining;
        case DrainState::Drained:
            // Re-enabled: a later drain is a new one and runs the command again.
            return facts.retiring ? DrainState::Drained : DrainState::Active;
    }
    return DrainState::Active;
}

Reported reported(DrainState state, const DrainFacts& facts) {
    // An operator's stop outranks everything; drained outranks unhealthy because an orchestrator
    // waiting for "drained" must see it even once the instance it stopped fails its checks.
    if (facts.stopped) return Reported::Stopped;
    if (state == DrainState::Drained) return Reported::Drained;
    if (state == DrainState::Draining) return Reported::Draining;
    if (!facts.healthy) return Reported::Unhealthy;
    return Reported::Active;
}

bool transition(std::atomic<std::uint32_t>& state, DrainState from, DrainState to) {
    auto expected = static_cast<std::uint32_t>(from);
    // Another process may decide the same move at the same time (the sweep of the generation a
    // graceful restart replaces): only the compare-and-swap winner logs and runs the command.
    return state.compare_exchange_strong(expected, static_cast<std::uint32_t>(to),
                                         std::memory_order_acq_rel, std::memory_order_acquire);
}

}  // namespace zdu::lifecycle
