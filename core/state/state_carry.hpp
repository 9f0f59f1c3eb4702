// Moving state from one block of shared memory to the next: into a state file and back (any
// layout: by names), or record by record from an older block of this build's own layout (a
// larger ZduStateSlots), session table included. The file carries no sessions
// (state_file.hpp): a block seeded from it marks the sessions of the instances it names as
// unknown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "state/shared_block.hpp"
#include "state/shared_records.hpp"
#include "state/state_file.hpp"

namespace zdu::state {

// What the file keeps of an instance's record; its sessions count as unknown from `now_ms`.
InstanceState capture_instance(std::string cluster, std::string instance, const SharedRecord& r,
                               std::int64_t now_ms);
WebModuleState capture_web_module(std::string cluster, std::string context_root,
                                  const SharedRecord& r);

// The cluster record's version overrides; the caller fills in their texts.
ClusterState capture_cluster(std::string cluster, const SharedRecord& r);

void restore_instance(const InstanceState& s, SharedRecord& r);
void restore_cluster(const ClusterState& s, SharedRecord& r);
void restore_web_module(const WebModuleState& s, SharedRecord& r);

struct SeedCount {
    std::size_t instances = 0;
    std::size_t web_modules = 0;
    std::size_t no_room = 0;  // entries the table had no free slot for
};

// Claims a record for every entry of `file` and restores it. `sessions_unknown_since_ms`
// (the new block's created_ms): from then on the instances' sessions are unknown, as the
// table that knew them is gone; 0 keeps what the file says.
SeedCount seed_table(const StateFile& file, SharedTable& table,
                     std::int64_t sessions_unknown_since_ms = 0);

// Copies every claimed record of `from` into `to` (same layout, `to` at least as large);
// returns how many did not fit.
std::size_t copy_records(const SharedTable& from, SharedTable& to);

// Copies the session table of `from` (a live block of this build's layout) into `to`'s,
// moving the deadlines onto `to`'s clock; nothing becomes unknown.
void copy_sessions(const SharedBlock& from, SharedBlock& to);

}  // namespace zdu::state
