// The runtime a child serves from, as an immutable snapshot that a reload replaces while
// requests keep running on the one they started with (state/snapshot_slots.hpp says how, and
// why no reader ever locks or sees a destroyed one).
//
// A request pins the current snapshot in translate_name and releases it in a cleanup of its
// pool, so everything it holds (RequestContext pointers, Proxy-jroute strings) stays valid
// until it ends; a replaced snapshot is destroyed by whoever drops its last pin.
#pragma once

#include <cstdint>
#include <memory>

#include "mod_zdu/config/runtime.hpp"
#include "mod_zdu/httpd.hpp"
#include "state/snapshot_slots.hpp"

namespace zdu::glue {

struct PoolDestroyer {
    void operator()(apr_pool_t* p) const { apr_pool_destroy(p); }
};

struct Snapshot {
    const Runtime* runtime = nullptr;
    std::unique_ptr<Runtime> owned;  // null for the parent's (the module state owns it)
    // What its build allocated; goes after the runtime (members are destroyed in reverse).
    std::unique_ptr<apr_pool_t, PoolDestroyer> pool;
    std::uint64_t generation = 0;
    std::uint64_t hash = 0;
    std::int64_t loaded_ms = 0;

    Snapshot() = default;
    Snapshot(Snapshot&&) = default;
    Snapshot& operator=(Snapshot&& o) noexcept {
        owned.reset();  // the runtime before the pool it may point into
        pool = std::move(o.pool);
        owned = std::move(o.owned);
        runtime = o.runtime;
        generation = o.generation;
        hash = o.hash;
        loaded_ms = o.loaded_ms;
        return *this;
    }
    ~Snapshot() { owned.reset(); }
};

using SnapshotSlot = state::SnapshotSlots<Snapshot>::Slot;

// The child's current snapshot, pinned until release_snapshot(); null before the config.
SnapshotSlot* pin_snapshot();
void release_snapshot(SnapshotSlot* slot);
// Pins for the lifetime of `r` (released by a cleanup of r->pool); null before the config.
const Snapshot* pin_for_request(request_rec* r);
// Hands a pin taken with pin_snapshot() to `r`: released when its pool goes.
void hold_for_request(request_rec* r, SnapshotSlot* slot);

// The parent's runtime, at each config pass (null: none): the only slot, current. Runs where
// no request does.
void install_initial(const Runtime* runtime, std::uint64_t generation, std::uint64_t hash,
                     std::int64_t loaded_ms);
// Makes `next` current and retires the previous one. Callers serialise (the switch mutex).
// False when every slot is still held by requests of older generations: tried again later.
bool install(Snapshot&& next);
// Whether install() would find a free slot now (so a switch is worth building).
bool can_install();

// The generation this child serves, and the one its config pass started with.
std::uint64_t serving_generation();
std::uint64_t pass_generation();

}  // namespace zdu::glue
