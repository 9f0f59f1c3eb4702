// The published config in shared memory: the bytes of loadbalancer.xml every child builds its
// runtime from, so all children run the same config whatever the file says by the time each
// switches. Two buffers: a publisher writes the one not published, then moves the generation,
// so a child copying the published bytes is never disturbed by the next publish (a seqlock per
// buffer catches the case where two publishes overtake a slow copy). Publishers serialise
// among themselves (a cross-process mutex in the glue); readers never lock.
//
// The region also keeps the outcome of the last reload attempt (for the status JSON) and the
// hash of the last invalid content that was logged, so a bad file logs once whichever process
// polls.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zdu::state {

inline constexpr std::size_t kDefaultConfigCapacity = 1 << 20;  // ZduConfigMaxBytes
inline constexpr std::size_t kMaxResultErrorBytes = 4096;

// A published config as a child copies it out.
struct PublishedConfig {
    std::uint64_t generation = 0;
    std::uint64_t hash = 0;  // of the file's bytes
    std::int64_t loaded_ms = 0;
    std::string file;      // the xml as read
    std::string retained;  // instances removed by earlier reloads and kept (retained.hpp)
};

// The outcome of the last reload attempt.
struct ReloadResult {
    bool ok = true;
    std::uint64_t generation = 0;  // the generation it published, or the one still served
    std::int64_t at_ms = 0;
    std::string errors;  // one per line; empty when ok
};

struct ConfigBufferHeader {
    std::atomic<std::uint64_t> seq;  // odd while being written
    std::uint64_t generation;
    std::uint64_t hash;
    std::int64_t loaded_ms;
    std::uint64_t file_bytes;
    std::uint64_t retained_bytes;
    std::uint64_t reserved[2];
};

struct ConfigRegionHeader {
    std::atomic<std::uint64_t> generation;  // the published one; 0: none yet
    std::atomic<std::uint32_t> published;   // the buffer holding it
    std::uint32_t reserved;
    std::uint64_t capacity;  // bytes of data per buffer
    std::atomic<std::uint64_t> last_bad_hash;
    // The generation the latest config pass (start, graceful restart) published: children of
    // an older pass, on their way out, do not follow what it publishes.
    std::atomic<std::uint64_t> pass_generation;
    std::atomic<std::uint64_t> result_seq;  // seqlock of what follows
    std::uint64_t result_generation;
    std::int64_t result_ms;
    std::uint32_t result_ok;
    std::uint32_t result_error_bytes;
    char result_errors[kMaxResultErrorBytes];
};

class ConfigRegion {
  public:
    // Bytes of a region whose buffers each hold `capacity` bytes (file + retained).
    static std::size_t bytes_for(std::size_t capacity);
    // Formats `memory` (bytes_for(capacity) bytes, 64-byte aligned): nothing published.
    static ConfigRegion create(void* memory, std::size_t capacity);
    static ConfigRegion attach(void* memory) {
        return ConfigRegion(static_cast<ConfigRegionHeader*>(memory));
    }

    std::size_t capacity() const { return header_->capacity; }
    // What children compare against their own; one acquire load.
    std::uint64_t generation() const { return header_->generation.load(std::memory_order_acquire); }

    // Publishes a new generation (the current one + 1) and returns it; 0 when it does not fit.
    // Publishers must be serialised by the caller.
    std::uint64_t publish(std::string_view file, std::string_view retained, std::uint64_t hash,
                          std::int64_t now_ms);
    // The hash of the published file's bytes (0: none), without copying them.
    std::uint64_t published_hash() const;
    void set_pass_generation(std::uint64_t g) {
        header_->pass_generation.store(g, std::memory_order_release);
    }
    std::uint64_t pass_generation() const {
        return header_->pass_generation.load(std::memory_order_acquire);
    }
    // A copy of the published config; nullopt when none is published yet.
    std::optional<PublishedConfig> read() const;

    void set_result(const ReloadResult& result);  // publishers only
    ReloadResult result() const;

    // True when `hash` is not the last invalid content noted (and notes it): log it once.
    bool note_bad_content(std::uint64_t hash);
    std::uint64_t last_bad_content() const {
        return header_->last_bad_hash.load(std::memory_order_relaxed);
    }
    void forget_bad_content() { header_->last_bad_hash.store(0, std::memory_order_relaxed); }

  private:
    explicit ConfigRegion(ConfigRegionHeader* h) : header_(h) {}
    ConfigBufferHeader* buffer(std::uint32_t i) const;
    ConfigRegionHeader* header_;
};

// A stable 64-bit hash of content (FNV-1a): equal bytes, equal hash, in every process and build.
std::uint64_t content_hash(std::string_view bytes);

}  // namespace zdu::state
