#include "mod_zdu/reload/snapshot.hpp"

#include <new>
#include <utility>

namespace zdu::glue {
namespace {

// Enough for a burst of reloads while a long request pins an old snapshot; install() refuses
// (the switch is tried again at a later request) rather than wait.
constexpr int kSlots = 8;

struct Slots {
    SnapshotSlot slot[kSlots];
    std::atomic<SnapshotSlot*> current{nullptr};
    std::atomic<std::uint64_t> generation{0};
};

// Static storage that is never destroyed (see module_state.cpp): a request of an exiting
// child may still release its pin while exit() runs.
Slots& slots() {
    alignas(Slots) static unsigned char storage[sizeof(Slots)];
    static Slots* const s = new (storage) Slots();
    return *s;
}

void destroy(SnapshotSlot& slot) {
    int retired = SnapshotSlot::Retired;
    if (!slot.state.compare_exchange_strong(retired, SnapshotSlot::Destroying)) return;
    Snapshot gone = std::move(slot.snapshot);
    slot.snapshot = Snapshot{};
    slot.state.store(SnapshotSlot::Free);
    gone.owned.reset();
    if (gone.pool) apr_pool_destroy(gone.pool);
}

apr_status_t release_cleanup(void* data) {
    release_snapshot(static_cast<SnapshotSlot*>(data));
    return APR_SUCCESS;
}

}  // namespace

SnapshotSlot* pin_snapshot() {
    Slots& s = slots();
    for (;;) {
        SnapshotSlot* slot = s.current.load(std::memory_order_acquire);
        if (!slot) return nullptr;
        slot->pins.fetch_add(1);
        // Still current after the pin: a swap from now on retires it only once this pin goes.
        if (s.current.load() == slot) return slot;
        release_snapshot(slot);
    }
}

void release_snapshot(SnapshotSlot* slot) {
    if (slot->pins.fetch_sub(1) == 1) destroy(*slot);
}

void hold_for_request(request_rec* r, SnapshotSlot* slot) {
    apr_pool_cleanup_register(r->pool, slot, release_cleanup, apr_pool_cleanup_null);
}

const Snapshot* pin_for_request(request_rec* r) {
    SnapshotSlot* slot = pin_snapshot();
    if (!slot) return nullptr;
    hold_for_request(r, slot);
    return &slot->snapshot;
}

void install_initial(const Runtime* runtime, std::uint64_t generation, std::uint64_t hash,
                     std::int64_t loaded_ms) {
    Slots& s = slots();
    for (SnapshotSlot& slot : s.slot) {
        slot.pins.store(0);
        slot.state.store(SnapshotSlot::Free);
        slot.snapshot = Snapshot{};
    }
    s.current.store(nullptr);
    if (!runtime) return;
    SnapshotSlot& first = s.slot[0];
    first.snapshot.runtime = runtime;
    first.snapshot.generation = generation;
    first.snapshot.hash = hash;
    first.snapshot.loaded_ms = loaded_ms;
    first.state.store(SnapshotSlot::Live);
    s.generation.store(generation);
    s.current.store(&first);
}

bool install(Snapshot&& next) {
    Slots& s = slots();
    SnapshotSlot* old = s.current.load();
    for (SnapshotSlot& slot : s.slot) {
        if (&slot == old || slot.state.load() != SnapshotSlot::Free || slot.pins.load() != 0)
            continue;
        slot.snapshot = std::move(next);
        slot.state.store(SnapshotSlot::Live);
        s.generation.store(slot.snapshot.generation);
        s.current.store(&slot);
        if (old) {
            old->state.store(SnapshotSlot::Retired);
            // The current pointer held no pin of its own: with none left, it goes now.
            if (old->pins.load() == 0) destroy(*old);
        }
        return true;
    }
    return false;
}

std::uint64_t serving_generation() {
    return slots().generation.load(std::memory_order_relaxed);
}

}  // namespace zdu::glue
