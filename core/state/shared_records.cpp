#include "state/shared_records.hpp"

#include <new>

namespace zdu::state {

struct SharedTable::Header {
    std::uint64_t capacity;  // a power of two
    std::atomic<std::uint64_t> used;
};

namespace {
// Room for the header, rounded up so the records after it start on a cache line.
constexpr std::size_t kHeaderBytes = 64;

std::size_t round_up_pow2(std::size_t n) {
    std::size_t p = 8;
    while (p < n) p <<= 1;
    return p;
}
}  // namespace

std::size_t SharedTable::bytes_for(std::size_t capacity) {
    return kHeaderBytes + round_up_pow2(capacity) * sizeof(SharedRecord);
}

SharedTable SharedTable::create(void* memory, std::size_t capacity) {
    static_assert(sizeof(Header) <= kHeaderBytes, "the header must fit before the records");
    auto* header = new (memory) Header{round_up_pow2(capacity), {0}};
    auto* recs = reinterpret_cast<SharedRecord*>(static_cast<char*>(memory) + kHeaderBytes);
    for (std::size_t i = 0; i < header->capacity; ++i) new (&recs[i]) SharedRecord{};
    return SharedTable(header);
}

SharedTable SharedTable::attach(void* memory) {
    return SharedTable(static_cast<Header*>(memory));
}

SharedRecord* SharedTable::records() const {
    return reinterpret_cast<SharedRecord*>(reinterpret_cast<char*>(header_) + kHeaderBytes);
}

// Linear probing from the key's home slot. A free slot ends the search: `find` reports no
// record, `claim` takes the slot; if another process took it first, for the same key the record
// is used, for another key the probe goes on.
SharedRecord* SharedTable::probe(std::uint64_t key, bool claim_free) const {
    std::size_t mask = header_->capacity - 1;
    SharedRecord* recs = records();
    for (std::size_t n = 0, pos = key & mask; n < header_->capacity; ++n, pos = (pos + 1) & mask) {
        std::uint64_t seen = recs[pos].key.load(std::memory_order_acquire);
        if (seen == key) return &recs[pos];
        if (seen != 0) continue;
        if (!claim_free) return nullptr;
        if (recs[pos].key.compare_exchange_strong(seen, key, std::memory_order_acq_rel)) {
            header_->used.fetch_add(1, std::memory_order_relaxed);
            return &recs[pos];
        }
        if (seen == key) return &recs[pos];
    }
    return nullptr;
}

SharedRecord* SharedTable::claim(std::uint64_t key) {
    return probe(key, true);
}

SharedRecord* SharedTable::find(std::uint64_t key) const {
    return probe(key, false);
}

const SharedRecord& SharedTable::slot(std::size_t i) const {
    return records()[i];
}

std::size_t SharedTable::capacity() const {
    return header_->capacity;
}
std::size_t SharedTable::used() const {
    return header_->used.load(std::memory_order_relaxed);
}

}  // namespace zdu::state
