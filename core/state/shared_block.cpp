#include "state/shared_block.hpp"

#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>

namespace zdu::state {
namespace {

constexpr std::uint64_t kBlockMagic = 0x7a64755f73686d21ull;  // "zdu_shm!"
constexpr std::size_t kAlign = kBlockAlign;

constexpr std::size_t aligned(std::size_t n) {
    return (n + kAlign - 1) / kAlign * kAlign;
}

constexpr std::size_t kRecordsOffset = aligned(sizeof(Superblock));

bool is_aligned(const void* memory) {
    return reinterpret_cast<std::uintptr_t>(memory) % kAlign == 0;
}

// The records region must be what this build's SharedTable makes of its entry count.
std::string check_records(const Region& r, std::size_t total) {
    if (r.entry_bytes != sizeof(SharedRecord)) {
        return "record size " + std::to_string(r.entry_bytes) +
               " (this build: " + std::to_string(sizeof(SharedRecord)) + ")";
    }
    if (r.entries == 0 || (r.entries & (r.entries - 1)) != 0 || r.offset % kAlign != 0 ||
        r.bytes != SharedTable::bytes_for(r.entries) || r.offset > total ||
        r.bytes > total - r.offset) {
        return "a records region that does not fit the block";
    }
    return {};
}

std::string check_config(const Region& r, std::size_t total) {
    if (r.offset % kAlign != 0 || r.offset > total || r.bytes > total - r.offset ||
        r.bytes != ConfigRegion::bytes_for(r.entries)) {
        return "a config region that does not fit the block";
    }
    return {};
}

std::string check_sessions(const Region& r, std::size_t total) {
    if (r.entry_bytes != 16 || r.entries == 0 || r.offset % kAlign != 0 || r.offset > total ||
        r.bytes > total - r.offset || r.bytes != sessions::SessionTable::bytes_for(r.entries)) {
        return "a session region that does not fit the block";
    }
    return {};
}

std::string check_super(const Superblock& sb, std::size_t bytes) {
    if (sb.magic != kBlockMagic) return "not a mod_zdu block";
    if (sb.layout_version != kLayoutVersion) {
        return "layout " + std::to_string(sb.layout_version) +
               " (this build: " + std::to_string(kLayoutVersion) + ")";
    }
    if (sb.superblock_bytes != sizeof(Superblock)) return "a superblock of another size";
    if (sb.total_bytes != bytes) {
        return "a total size of " + std::to_string(sb.total_bytes) + " bytes in a mapping of " +
               std::to_string(bytes);
    }
    if (sb.region_count == 0 || sb.region_count > kMaxRegions) return "a bad region count";
    return {};
}

}  // namespace

BlockSpan aligned_span(void* segment, std::size_t bytes) {
    void* memory = segment;
    std::size_t space = bytes;
    if (!std::align(kAlign, sizeof(Superblock), memory, space)) return BlockSpan{segment, 0};
    return BlockSpan{memory, space};
}

// The table's capacity is a power of two at least record_capacity: its bytes, rounded up.
static std::size_t records_bytes(std::size_t record_capacity) {
    return aligned(SharedTable::bytes_for(record_capacity));
}

std::size_t SharedBlock::bytes_for(std::size_t record_capacity, std::size_t session_capacity,
                                   std::size_t config_capacity) {
    return kRecordsOffset + records_bytes(record_capacity) +
           aligned(ConfigRegion::bytes_for(config_capacity)) +
           aligned(sessions::SessionTable::bytes_for(session_capacity));
}

SharedBlock SharedBlock::create(void* memory, std::size_t bytes, std::size_t record_capacity,
                                std::size_t session_capacity, std::uint64_t hash_seed,
                                std::int64_t created_ms, std::size_t config_capacity) {
    if (session_capacity == 0) throw std::invalid_argument("no session slots");
    if (!is_aligned(memory)) throw std::invalid_argument("shared block not 64-byte aligned");
    if (bytes < bytes_for(record_capacity, session_capacity, config_capacity))
        throw std::invalid_argument("shared block too small");
    std::memset(memory, 0, kRecordsOffset);
    auto* sb = new (memory) Superblock{};
    SharedTable table =
        SharedTable::create(static_cast<char*>(memory) + kRecordsOffset, record_capacity);
    sb->regions[0] = Region{static_cast<std::uint32_t>(RegionKind::Records),
                            static_cast<std::uint32_t>(sizeof(SharedRecord)), kRecordsOffset,
                            SharedTable::bytes_for(table.capacity()), table.capacity()};
    std::size_t config_offset = kRecordsOffset + records_bytes(record_capacity);
    ConfigRegion::create(static_cast<char*>(memory) + config_offset, config_capacity);
    sb->regions[1] = Region{static_cast<std::uint32_t>(RegionKind::Config), 1, config_offset,
                            ConfigRegion::bytes_for(config_capacity), config_capacity};
    std::size_t sessions_offset = config_offset + aligned(ConfigRegion::bytes_for(config_capacity));
    sessions::SessionTable::create(static_cast<char*>(memory) + sessions_offset, session_capacity);
    sb->regions[2] = Region{static_cast<std::uint32_t>(RegionKind::Sessions), 16, sessions_offset,
                            sessions::SessionTable::bytes_for(session_capacity), session_capacity};
    sb->region_count = 3;
    sb->hash_seed = hash_seed;
    sb->created_ms = created_ms;
    sb->total_bytes = bytes;
    sb->superblock_bytes = sizeof(Superblock);
    sb->layout_version = kLayoutVersion;
    // Last: a block is recognisable only once it is complete.
    std::atomic_thread_fence(std::memory_order_release);
    sb->magic = kBlockMagic;
    return SharedBlock(sb);
}

std::optional<SharedBlock> SharedBlock::attach(void* memory, std::size_t bytes, std::string& why) {
    if (bytes < sizeof(Superblock)) {
        why = "a block smaller than a superblock";
        return std::nullopt;
    }
    if (!is_aligned(memory)) {
        why = "a block not 64-byte aligned";
        return std::nullopt;
    }
    auto* sb = static_cast<Superblock*>(memory);
    why = check_super(*sb, bytes);
    for (std::uint32_t i = 0; why.empty() && i < sb->region_count; ++i) {
        if (sb->regions[i].kind == static_cast<std::uint32_t>(RegionKind::Records))
            why = check_records(sb->regions[i], bytes);
        if (sb->regions[i].kind == static_cast<std::uint32_t>(RegionKind::Config))
            why = check_config(sb->regions[i], bytes);
        if (sb->regions[i].kind == static_cast<std::uint32_t>(RegionKind::Sessions))
            why = check_sessions(sb->regions[i], bytes);
    }
    SharedBlock block(sb);
    if (why.empty() && !block.region(RegionKind::Records)) why = "no records region";
    if (why.empty() && !block.region(RegionKind::Config)) why = "no config region";
    if (why.empty() && !block.region(RegionKind::Sessions)) why = "no session region";
    if (!why.empty()) return std::nullopt;
    return block;
}

const Region* SharedBlock::region(RegionKind kind) const {
    for (std::uint32_t i = 0; i < super_->region_count; ++i) {
        if (super_->regions[i].kind == static_cast<std::uint32_t>(kind)) return &super_->regions[i];
    }
    return nullptr;
}

SharedTable SharedBlock::records() const {
    return SharedTable::attach(reinterpret_cast<char*>(super_) +
                               region(RegionKind::Records)->offset);
}

ConfigRegion SharedBlock::config() const {
    return ConfigRegion::attach(reinterpret_cast<char*>(super_) +
                                region(RegionKind::Config)->offset);
}

sessions::SessionTable SharedBlock::sessions() const {
    return sessions::SessionTable::attach(reinterpret_cast<char*>(super_) +
                                          region(RegionKind::Sessions)->offset);
}

std::size_t SharedBlock::session_capacity() const {
    return region(RegionKind::Sessions)->entries;
}

std::size_t SharedBlock::record_capacity() const {
    return region(RegionKind::Records)->entries;
}

}  // namespace zdu::state
