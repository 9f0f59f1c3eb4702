// The state file: what must outlive one block of shared memory (a module upgrade, a larger
// ZduStateSlots, a stop/start). The parent writes it; the next block is seeded from it. Keyed by
// names, not record keys, so a later layout may hash differently. A small line format:
//
//   zdu-state 1
//   written-ms 1764576000000
//   instance <cluster> <instance> admin=disabled admin-since-ms=… disabled-since-ms=…
//       unhealthy-since-ms=… last-error=… last-error-ms=… check-failures=…
//       sessions-unknown-since-ms=… drain-state=draining draining-since-ms=…
//       drained-since-ms=…
//   web-module <cluster> <context-root> disabled-since-ms=… admin=disabled admin-since-ms=…
//   cluster <cluster> active-version-key=… active-version-since-ms=… canary=…
//       canary-since-ms=… active-version=<text> canary-version=<text>
//   end
//
// A cluster line holds the manager's version overrides (the key words of the cluster's shared
// record; the texts only for whoever reads the file) and is written only while one stands, so a
// file without them stays readable by builds that know no cluster line.
//
// Names are percent-escaped (space, '%', '=', controls, bytes >= 0x7f). Fields a reader does
// not know are skipped, so a newer writer's additions do not break an older reader; a missing
// "end" or a newer format number makes the whole file unusable.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "state/shared_records.hpp"

namespace zdu::state {

inline constexpr int kStateFileFormat = 1;

struct InstanceState {
    std::string cluster;
    std::string instance;
    AdminState admin = AdminState::Active;
    std::int64_t admin_since_ms = 0;
    std::int64_t disabled_since_ms = 0;
    std::int64_t unhealthy_since_ms = 0;
    std::uint32_t last_error = 0;  // a state::Failure
    std::int64_t last_error_ms = 0;
    std::uint32_t check_failures = 0;
    // Session records are never carried: from this time on the instance's sessions are
    // unknown, so it must not be reported drained on the strength of a table that lost them.
    std::int64_t sessions_unknown_since_ms = 0;
    // The drain lifecycle (a lifecycle::DrainState) and its clocks: a drained instance stays
    // drained across a stop/start, so it is not drained again nor its command run again.
    std::uint32_t drain_state = 0;
    std::int64_t draining_since_ms = 0;
    std::int64_t drained_since_ms = 0;

    bool operator==(const InstanceState& o) const;
};

struct WebModuleState {
    std::string cluster;
    std::string context_root;
    std::int64_t disabled_since_ms = 0;
    AdminState admin = AdminState::Active;  // disable-web-module
    std::int64_t admin_since_ms = 0;

    bool operator==(const WebModuleState& o) const;
};

// The manager's version overrides of a cluster (shared_records.hpp).
struct ClusterState {
    std::string cluster;
    std::uint64_t active_version_key = 0;
    std::int64_t active_version_since_ms = 0;
    std::uint64_t canary = 0;  // routing::pack_canary
    std::int64_t canary_since_ms = 0;
    std::string active_version;  // the texts, for people reading the file
    std::string canary_version;

    bool any() const { return active_version_key != 0 || canary != 0; }
    bool operator==(const ClusterState& o) const;
};

struct StateFile {
    std::int64_t written_ms = 0;
    std::vector<InstanceState> instances;
    std::vector<WebModuleState> web_modules;
    std::vector<ClusterState> clusters;  // those with an override only
};

std::string format_state_file(const StateFile& file);

struct StateFileParse {
    StateFile file;
    std::string error;  // "<name>:<line>: what"; empty when the file is usable
    bool ok() const { return error.empty(); }
};

// `name` only labels errors.
StateFileParse parse_state_file(std::string_view text, std::string_view name);

}  // namespace zdu::state
