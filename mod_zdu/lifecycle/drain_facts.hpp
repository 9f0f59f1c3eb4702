// The facts lifecycle::next_state decides an instance's drain state on, gathered from the
// config, the manager's admin state, the shared record (what the last sweep counted) and
// mod_proxy's worker. The sweep decides with them; status reports with the same facts, so the
// state it shows is the one the sweep acts on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lifecycle/drain.hpp"
#include "mod_zdu/config/runtime.hpp"

namespace zdu::glue {

// Per instance of `cluster`: whether it takes no new sessions for good: disabled in the config
// (removed ones are kept disabled), disabled or stopped by the manager, weight 0, or its version
// is not one new sessions go to (new_session_versions).
std::vector<bool> retiring_instances(const ClusterRuntime& cluster);

// The version new sessions of `cluster` go to, the canary's share aside
// (routing::active_version over the instances open for new sessions); null when none is.
const std::string* active_version(const ClusterRuntime& cluster);

// Per instance of `cluster`: whether its version is one new sessions go to: the active version
// or, while its percentage is above 0 and an instance of it is open, the canary's.
// Health is not asked: a version whose instances fail a check for a moment is still the one
// new sessions go to, and draining must not flap with it. With no instance taking new sessions
// every version counts (nothing retires for its version alone).
std::vector<bool> new_session_versions(const ClusterRuntime& cluster);

// How long a session of `cluster` may idle: the longest of its web-modules' timeouts (each the
// web-module's session-timeout-in-minutes, or the zdu-session-timeout-in-minutes property).
std::int64_t session_timeout_ms(const Runtime& rt, const ClusterRuntime& cluster);

// When draining instance i ends by force (disable-timeout-in-minutes after it was disabled in
// the config, by the manager, or else after the sweep first saw it retiring); INT64_MAX while
// no clock runs.
std::int64_t drain_deadline_ms(const Runtime& rt, const ClusterRuntime& cluster, int i);

lifecycle::DrainFacts drain_facts(const Runtime& rt, const ClusterRuntime& cluster, int i,
                                  bool retiring, std::int64_t now_ms);

}  // namespace zdu::glue
