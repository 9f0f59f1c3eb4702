#include "state/config_region.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include "routing/hash.hpp"

namespace zdu::state {
namespace {

constexpr std::size_t kAlign = 64;

constexpr std::size_t aligned(std::size_t n) {
    return (n + kAlign - 1) / kAlign * kAlign;
}

constexpr std::size_t kHeaderBytes = aligned(sizeof(ConfigRegionHeader));

std::size_t buffer_bytes(std::size_t capacity) {
    return aligned(sizeof(ConfigBufferHeader) + capacity);
}

char* data_of(ConfigBufferHeader* b) {
    return reinterpret_cast<char*>(b) + sizeof(ConfigBufferHeader);
}

}  // namespace

std::size_t ConfigRegion::bytes_for(std::size_t capacity) {
    return kHeaderBytes + 2 * buffer_bytes(capacity);
}

ConfigRegion ConfigRegion::create(void* memory, std::size_t capacity) {
    std::memset(memory, 0, kHeaderBytes + 2 * sizeof(ConfigBufferHeader));
    auto* h = new (memory) ConfigRegionHeader{};
    h->capacity = capacity;
    ConfigRegion region(h);
    for (std::uint32_t i = 0; i < 2; ++i) new (region.buffer(i)) ConfigBufferHeader{};
    return region;
}

ConfigBufferHeader* ConfigRegion::buffer(std::uint32_t i) const {
    char* base = reinterpret_cast<char*>(header_) + kHeaderBytes;
    return reinterpret_cast<ConfigBufferHeader*>(base + i * buffer_bytes(header_->capacity));
}

std::uint64_t ConfigRegion::publish(std::string_view file, std::string_view retained,
                                    std::uint64_t hash, std::int64_t now_ms) {
    if (file.size() + retained.size() > header_->capacity) return 0;
    std::uint32_t target = 1 - header_->published.load(std::memory_order_relaxed);
    ConfigBufferHeader* b = buffer(target);
    std::uint64_t seq = b->seq.load(std::memory_order_relaxed);
    seq += seq % 2;  // odd: a publisher died half way through this buffer; start from even
    // Odd: a reader that started on this buffer sees it changing and tries again.
    b->seq.store(seq + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    std::uint64_t generation = header_->generation.load(std::memory_order_relaxed) + 1;
    b->generation = generation;
    b->hash = hash;
    b->loaded_ms = now_ms;
    b->file_bytes = file.size();
    b->retained_bytes = retained.size();
    std::memcpy(data_of(b), file.data(), file.size());
    std::memcpy(data_of(b) + file.size(), retained.data(), retained.size());
    b->seq.store(seq + 2, std::memory_order_release);
    header_->published.store(target, std::memory_order_release);
    // Last: a child that sees the generation finds its bytes complete.
    header_->generation.store(generation, std::memory_order_release);
    return generation;
}

std::uint64_t ConfigRegion::published_hash() const {
    for (;;) {
        if (generation() == 0) return 0;
        ConfigBufferHeader* b = buffer(header_->published.load(std::memory_order_acquire));
        std::uint64_t seq = b->seq.load(std::memory_order_acquire);
        if (seq % 2 != 0) continue;
        std::uint64_t hash = b->hash;
        std::atomic_thread_fence(std::memory_order_acquire);
        if (b->seq.load(std::memory_order_relaxed) == seq) return hash;
    }
}

std::optional<PublishedConfig> ConfigRegion::read() const {
    for (;;) {
        if (generation() == 0) return std::nullopt;
        ConfigBufferHeader* b = buffer(header_->published.load(std::memory_order_acquire));
        std::uint64_t seq = b->seq.load(std::memory_order_acquire);
        if (seq % 2 != 0) continue;
        PublishedConfig c;
        c.generation = b->generation;
        c.hash = b->hash;
        c.loaded_ms = b->loaded_ms;
        std::uint64_t fb = b->file_bytes, rb = b->retained_bytes;
        if (fb + rb <= header_->capacity) {
            c.file.assign(data_of(b), fb);
            c.retained.assign(data_of(b) + fb, rb);
        }
        std::atomic_thread_fence(std::memory_order_acquire);
        if (b->seq.load(std::memory_order_relaxed) == seq) return c;
    }
}

void ConfigRegion::set_result(const ReloadResult& result) {
    ConfigRegionHeader& h = *header_;
    std::uint64_t seq = h.result_seq.load(std::memory_order_relaxed);
    h.result_seq.store(seq + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    h.result_ok = result.ok ? 1 : 0;
    h.result_generation = result.generation;
    h.result_ms = result.at_ms;
    std::size_t n = std::min(result.errors.size(), kMaxResultErrorBytes);
    std::memcpy(h.result_errors, result.errors.data(), n);
    h.result_error_bytes = static_cast<std::uint32_t>(n);
    h.result_seq.store(seq + 2, std::memory_order_release);
}

ReloadResult ConfigRegion::result() const {
    const ConfigRegionHeader& h = *header_;
    for (;;) {
        std::uint64_t seq = h.result_seq.load(std::memory_order_acquire);
        if (seq % 2 != 0) continue;
        ReloadResult r;
        r.ok = h.result_ok != 0 || seq == 0;
        r.generation = h.result_generation;
        r.at_ms = h.result_ms;
        r.errors.assign(h.result_errors,
                        std::min<std::size_t>(h.result_error_bytes, kMaxResultErrorBytes));
        std::atomic_thread_fence(std::memory_order_acquire);
        if (h.result_seq.load(std::memory_order_relaxed) == seq) return r;
    }
}

bool ConfigRegion::note_bad_content(std::uint64_t hash) {
    return header_->last_bad_hash.exchange(hash, std::memory_order_relaxed) != hash;
}

std::uint64_t content_hash(std::string_view bytes) {
    return routing::stable_hash(bytes);
}

}  // namespace zdu::state
