#include "state/spare_claims.hpp"

#include <string>

#include "state/record_keys.hpp"

namespace zdu::state {
namespace {

constexpr int kGenerationShift = 48;
constexpr std::uint64_t kClusterMask = (std::uint64_t{1} << kGenerationShift) - 1;

std::uint32_t generation_of(std::uint64_t word) {
    return static_cast<std::uint32_t>(word >> kGenerationShift);
}

// Whether a claim of generation `theirs` is older than `ours`, modulo 2^16 so that the count
// may wrap over a long life of graceful restarts.
bool older(std::uint32_t theirs, std::uint32_t ours) {
    return static_cast<std::int16_t>(static_cast<std::uint16_t>(ours - theirs)) > 0;
}

}  // namespace

std::uint64_t spare_balancer_key(int index) {
    return detail::hash_fields({"spare-balancer", std::to_string(index)});
}

std::uint64_t spare_claim_word(std::uint32_t generation, std::string_view cluster) {
    std::uint64_t low = cluster_key(cluster) & kClusterMask;
    if (low == 0) low = 1;  // a claim word is never 0, the free value
    return (static_cast<std::uint64_t>(generation & 0xffff) << kGenerationShift) | low;
}

int SpareClaims::claim(std::string_view cluster, bool* fresh) {
    const std::uint64_t mine = spare_claim_word(generation_, cluster);
    if (fresh) *fresh = false;
    for (int i = 0; i < spares_; ++i) {
        SharedRecord* r = table_.claim(spare_balancer_key(i));
        if (!r) return -1;
        std::uint64_t seen = r->counter.load(std::memory_order_acquire);
        // A failed exchange reloads `seen`: retry while the slot stays free to us.
        while (seen == 0 || older(generation_of(seen), generation_)) {
            if (r->counter.compare_exchange_weak(seen, mine, std::memory_order_acq_rel)) {
                if (fresh) *fresh = true;
                return i;
            }
        }
        if (seen == mine) return i;
    }
    return -1;
}

int SpareClaims::find(std::string_view cluster) const {
    const std::uint64_t mine = spare_claim_word(generation_, cluster);
    for (int i = 0; i < spares_; ++i) {
        const SharedRecord* r = table_.find(spare_balancer_key(i));
        if (r && r->counter.load(std::memory_order_acquire) == mine) return i;
    }
    return -1;
}

int SpareClaims::used() const {
    int n = 0;
    for (int i = 0; i < spares_; ++i) {
        const SharedRecord* r = table_.find(spare_balancer_key(i));
        std::uint64_t w = r ? r->counter.load(std::memory_order_acquire) : 0;
        if (w != 0 && !older(generation_of(w), generation_)) ++n;
    }
    return n;
}

}  // namespace zdu::state
