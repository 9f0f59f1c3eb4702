// A snapshot of every cluster and instance for cmd=status: config, manager state, health and
// counters, read from the shared records (the glue adds what only mod_proxy knows).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "state/shared_records.hpp"

namespace zdu::manager {

struct InstanceStatus {
    std::string name;
    std::string route;
    std::string domain;
    std::string version;
    std::string url;  // the listener requests go to
    int weight = 0;
    bool enabled = true;  // in the config
    state::AdminState admin_state = state::AdminState::Active;
    std::int64_t unhealthy_since_ms = 0;  // 0: healthy
    std::uint32_t last_error = 0;         // a state::Failure
    std::uint32_t failures_in_a_row = 0;  // of live traffic, for passive detection
    std::uint64_t requests = 0;
    std::uint64_t new_sessions = 0;
    std::uint64_t failures = 0;
    std::uint64_t failovers = 0;
    std::uint64_t retries = 0;
    // From mod_proxy's worker: requests in flight and whether it is out of its error state.
    std::uint64_t busy = 0;
    bool worker_usable = false;
};

struct ClusterStatus {
    std::string name;
    std::string policy;
    std::vector<InstanceStatus> instances;
};

// Everything the config and the shared record say about one instance.
InstanceStatus read_status(const config::Instance& instance, const std::string& route,
                           const state::SharedRecord& record);

}  // namespace zdu::manager
