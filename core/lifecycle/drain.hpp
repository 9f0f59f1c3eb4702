// An instance's lifecycle in an upgrade: active -> draining (it no longer takes new sessions
// but still has some) -> drained (no live or untracked session, no request in flight), decided
// by the session sweep. Pure decisions here; the glue gathers the facts and keeps the state in
// the instance's shared record.
#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>

namespace zdu::lifecycle {

// Kept in SharedRecord::drain_state.
enum class DrainState : std::uint32_t { Active = 0, Draining = 1, Drained = 2 };

// What status reports per instance.
enum class Reported { Active, Draining, Drained, Stopped, Unhealthy };
std::string_view reported_name(Reported r);

struct DrainFacts {
    bool retiring = false;  // takes no new sessions for good: disabled (config or manager),
                            // weight 0, removed, or not a version new sessions go to
    bool stopped = false;   // the manager's hard stop
    bool healthy = true;
    std::uint64_t live = 0;       // tracked live sessions (last sweep)
    std::uint64_t untracked = 0;  // live sessions known only from client cookies
    std::uint64_t in_flight = 0;  // requests in flight, long-lived ones included
    // Sessions may exist that no table knows (the block is newer than the session timeout
    // after a stop/start): never drained while this holds.
    bool sessions_unknown = false;
    bool deadline_passed = false;  // disable-timeout-in-minutes ran out: drained by force
};

// The state the facts call for.
DrainState next_state(DrainState now, const DrainFacts& facts);
Reported reported(DrainState state, const DrainFacts& facts);

// Moves `state` from `from` to `to` with one compare-and-swap; true for the one caller that
// made the move (it logs and runs the drained command).
bool transition(std::atomic<std::uint32_t>& state, DrainState from, DrainState to);

}  // namespace zdu::lifecycle
