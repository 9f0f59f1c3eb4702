// The runtime a child serves from, as an immutable snapshot that a reload replaces while
// requests keep running on the one they started with.
//
// A request pins the current snapshot in translate_name and releases it in a cleanup of its
// pool, so everything it holds (RequestContext pointers, Proxy-jroute strings) stays valid
// until it ends; a replaced snapshot is destroyed by whoever drops its last pin. Pins live in
// a fixed array of slots that is never freed, so a thread that read a slot pointer just before
// a swap increments memory that still exists, sees the slot is no longer current and lets go.
// No lock on the request path: one acquire load, one atomic add, one acquire load.
// (std::atomic_load on a shared_ptr would take a lock from libstdc++'s mutex pool per call.)
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "mod_zdu/config/runtime.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

struct Snapshot {
    const Runtime* runtime = nullptr;
    std::unique_ptr<Runtime> owned;  // null for the parent's (the module state owns it)
    apr_pool_t* pool = nullptr;      // owned with it: what its build allocated
    std::uint64_t generation = 0;
    std::uint64_t hash = 0;
    std::int64_t loaded_ms = 0;
};

// A slot holds at most one snapshot at a time: Free -> Live (current) -> Retired (replaced,
// still pinned) -> Free when its last pin goes.
struct SnapshotSlot {
    enum State : int { Free, Live, Retired, Destroying };
    std::atomic<long> pins{0};
    std::atomic<int> state{Free};
    Snapshot snapshot;
};

// The child's current snapshot, pinned until release(); never null once install_initial ran.
SnapshotSlot* pin_snapshot();
void release_snapshot(SnapshotSlot* slot);
// Pins for the lifetime of `r` (released by a cleanup of r->pool); null before the config.
const Snapshot* pin_for_request(request_rec* r);
// Hands a pin taken with pin_snapshot() to `r`: released when its pool goes.
void hold_for_request(request_rec* r, SnapshotSlot* slot);

// The parent's runtime, at each config pass: the only slot, current. Runs where no request does.
void install_initial(const Runtime* runtime, std::uint64_t generation, std::uint64_t hash,
                     std::int64_t loaded_ms);
// Makes `next` current and retires the previous one. Callers serialise (the switch mutex).
// False when every slot is still held by requests of older generations: try again later.
bool install(Snapshot&& next);

// The generation this child serves (relaxed; for status and the switch check).
std::uint64_t serving_generation();

}  // namespace zdu::glue
