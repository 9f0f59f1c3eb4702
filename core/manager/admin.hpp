// The manager's admin state of instances (state::AdminState in their shared records): names
// for answers and logs, and the change itself.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "state/shared_records.hpp"

namespace zdu::manager {

std::string_view admin_state_name(state::AdminState s);

// One instance a disable/enable/stop command acted on.
struct AdminChange {
    std::string cluster;
    std::string instance;
    std::string route;
    std::string domain;
    state::AdminState before = state::AdminState::Active;
    state::AdminState after = state::AdminState::Active;

    bool changed() const { return before != after; }
};

// Sets the record's admin state for every process at once; returns the state it replaced. A
// change also restarts the record's admin clock (admin_since_ms) at `now_ms`.
state::AdminState set_admin_state(state::SharedRecord& record, state::AdminState to,
                                  std::int64_t now_ms);

// "c1/i1 active->stopped, c1/i2 stopped (unchanged)", for the log.
std::string describe(const std::vector<AdminChange>& changes);

}  // namespace zdu::manager
