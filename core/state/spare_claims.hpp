// Which spare balancer a cluster added by a reload runs on. Balancers cannot be made while the
// server runs, so start-up reserves ZduSpareClusters spare ones; every child must map a new
// cluster onto the same spare, so the mapping lives in shared memory: one record per spare
// (key spare_balancer_key(i)) whose `counter` holds the claim, taken by compare-and-swap.
//
// A claim is tagged with the config generation (httpd's, one per graceful restart): after a
// restart every cluster of the config has a balancer of its own, so claims of an older
// generation count as free, while a child of an older generation never takes a newer claim.
#pragma once

#include <cstdint>
#include <string_view>

#include "state/shared_records.hpp"

namespace zdu::state {

std::uint64_t spare_balancer_key(int index);

// The 64-bit claim word: generation in the top 16 bits, 48 bits of the cluster's key below.
std::uint64_t spare_claim_word(std::uint32_t generation, std::string_view cluster);

class SpareClaims {
  public:
    // `spares` spare balancers, claims made in `generation`.
    SpareClaims(SharedTable& table, int spares, std::uint32_t generation)
        : table_(table), spares_(spares), generation_(generation) {}

    // The index of the spare `cluster` runs on in this generation: its claim, else the lowest
    // free spare, claimed now. -1 when every spare is taken (or the table is full). Claims are
    // taken in index order and never given back within a generation, so two processes claiming
    // for the same cluster at once end on the same index. `*fresh` (when given) says whether
    // this call made the claim, so exactly one process logs it.
    int claim(std::string_view cluster, bool* fresh = nullptr);
    // Its claim, or -1; claims nothing.
    int find(std::string_view cluster) const;
    // Spares claimed in this generation.
    int used() const;
    int total() const { return spares_; }

  private:
    SharedTable& table_;
    int spares_;
    std::uint32_t generation_;
};

}  // namespace zdu::state
