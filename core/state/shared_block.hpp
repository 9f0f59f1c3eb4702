// mod_zdu's block of shared memory: a versioned superblock, then regions: the SharedTable of
// records, the published config (config_region.hpp) and the session table (session_table.hpp). A
// process uses a block only if its superblock matches this build's layout exactly; anything else
// (an older or newer mod_zdu.so, another ZduStateSlots) is never reinterpreted: the module makes a
// new block and carries what must survive (state_carry.hpp).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "sessions/session_table.hpp"
#include "state/config_region.hpp"
#include "state/shared_records.hpp"

namespace zdu::state {

// Small enough for the core tests; the module passes ZduSessionSlots.
inline constexpr std::size_t kDefaultSessionCapacity = 4096;

// Bump on every change to the superblock, a region's format or SharedRecord.
#ifdef ZDU_SHM_LAYOUT_VARIANT
inline constexpr std::uint32_t kLayoutVersion = 1003;  // test builds with another layout
#else
inline constexpr std::uint32_t kLayoutVersion = 6;  // 1 was d91f45b's unversioned table
#endif

enum class RegionKind : std::uint32_t {
    Free = 0,
    Records = 1,   // a SharedTable
    Config = 2,    // a ConfigRegion
    Sessions = 3,  // a sessions::SessionTable
};

inline constexpr std::size_t kMaxRegions = 8;

// A block and its regions start on cache lines (the session table's buckets are each one):
// create() and attach() take only memory aligned so.
inline constexpr std::size_t kBlockAlign = 64;

struct BlockSpan {
    void* memory;
    std::size_t bytes;
};

// Where a block goes in a segment of shared memory of any alignment: from the segment's first
// kBlockAlign boundary to its end. apr_shm's base address is only 8-byte aligned (APR keeps the
// segment's size in front of it), so a segment of bytes_for(...) + kBlockAlign - 1 bytes leaves
// room for the block wherever it starts; the same segment always gives the same span.
BlockSpan aligned_span(void* segment, std::size_t bytes);

struct Region {
    std::uint32_t kind;         // a RegionKind
    std::uint32_t entry_bytes;  // sizeof of one entry, checked on attach
    std::uint64_t offset;       // from the start of the block, a multiple of 64
    std::uint64_t bytes;
    std::uint64_t entries;
};

// The first four fields are the same in every layout, so any build can tell whose block it is
// and refuse it with a reason.
struct Superblock {
    std::uint64_t magic;
    std::uint32_t layout_version;
    std::uint32_t superblock_bytes;
    std::uint64_t total_bytes;
    // Random per block lifetime: tables keyed by client-chosen ids (sessions) hash with it.
    std::uint64_t hash_seed;
    std::int64_t created_ms;
    // Moves on every admin-state change; the parent persists the state file when it moves.
    std::atomic<std::uint64_t> admin_changes;
    std::uint32_t region_count;
    std::uint32_t reserved;
    Region regions[kMaxRegions];
};

class SharedBlock {
  public:
    // Bytes of a block whose record table has room for `record_capacity` records, whose
    // session table holds `session_capacity` sessions (ZduSessionSlots) and whose config
    // buffers hold `config_capacity` bytes each.
    static std::size_t bytes_for(std::size_t record_capacity,
                                 std::size_t session_capacity = kDefaultSessionCapacity,
                                 std::size_t config_capacity = kDefaultConfigCapacity);

    // Formats `memory` (`bytes` >= bytes_for(record_capacity, session_capacity,
    // config_capacity), kBlockAlign aligned; std::invalid_argument otherwise).
    static SharedBlock create(void* memory, std::size_t bytes, std::size_t record_capacity,
                              std::size_t session_capacity, std::uint64_t hash_seed,
                              std::int64_t created_ms,
                              std::size_t config_capacity = kDefaultConfigCapacity);
    // The same with a small session table (kDefaultSessionCapacity): for tests of the rest.
    static SharedBlock create(void* memory, std::size_t bytes, std::size_t record_capacity,
                              std::uint64_t hash_seed, std::int64_t created_ms) {
        return create(memory, bytes, record_capacity, kDefaultSessionCapacity, hash_seed,
                      created_ms);
    }
    // The block in `memory` (`bytes` long) if it has exactly this build's layout; otherwise
    // nullopt and `why` says what differs.
    static std::optional<SharedBlock> attach(void* memory, std::size_t bytes, std::string& why);

    SharedTable records() const;
    std::size_t record_capacity() const;
    ConfigRegion config() const;
    std::size_t config_capacity() const { return config().capacity(); }
    sessions::SessionTable sessions() const;
    std::size_t session_capacity() const;  // sessions, as given to create()
    std::uint64_t hash_seed() const { return super_->hash_seed; }
    std::int64_t created_ms() const { return super_->created_ms; }

    void note_admin_change() { super_->admin_changes.fetch_add(1, std::memory_order_release); }
    std::uint64_t admin_changes() const {
        return super_->admin_changes.load(std::memory_order_acquire);
    }

  private:
    explicit SharedBlock(Superblock* super) : super_(super) {}
    const Region* region(RegionKind kind) const;
    Superblock* super_;
};

// The session table's clock for `now_ms`: whole seconds since the block was made, so a
// deadline fits in 32 bits; a time before the block is second 0.
inline sessions::Seconds store_seconds(const SharedBlock& block, std::int64_t now_ms) {
    std::int64_t s = (now_ms - block.created_ms()) / 1000;
    return s <= 0 ? 0 : static_cast<sessions::Seconds>(s);
}

}  // namespace zdu::state
