// The shared-memory block behind state::SharedBlock, kept in the parent's process pool so the
// state of instances (first seen disabled, health, admin states) survives graceful restarts;
// children inherit the anonymous mapping. The process pool outlives mod_so unloading and
// reloading mod_zdu.so, so the block a pass finds may come from another build: it is used only
// when its superblock is this build's layout with room for ZduStateSlots records. Otherwise a
// new block is made, filled from the old one (same layout, fewer slots) or from the state file,
// and the old one is unmapped in the parent (children of the old generation keep their mapping
// until they exit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "mod_zdu/httpd.hpp"
#include "state/shared_block.hpp"

namespace zdu::glue {

// The block for this config pass, with room for `slots` records and for the records of
// `keys` (what this config claims) that a reused block lacks; a new block holds twice what it
// must, so a config that outgrows ZduStateSlots gets a larger block instead of failing the
// restart. `config_capacity`: ZduConfigMaxBytes, the room for the published config.
// nullopt on failure (logged).
std::optional<state::SharedBlock> shared_block(server_rec* s, std::size_t slots,
                                               const std::vector<std::uint64_t>& keys,
                                               std::size_t config_capacity);

// Tells the parent that an admin state changed (it persists the state file); any process.
void note_admin_change();

}  // namespace zdu::glue
