#include "mod_zdu/reload/snapshot.hpp"

#include <atomic>
#include <new>
#include <utility>

namespace zdu::glue {
namespace {

struct State {
    // Eight slots: room for a burst of reloads while long requests pin older snapshots;
    // install() refuses (the switch is tried again at a later request) rather than wait.
    state::SnapshotSlots<Snapshot> slots;
    std::atomic<std::uint64_t> generation{0};
    std::uint64_t pass_generation = 0;  // set before any child exists
};

// Static storage that is never destroyed (see module_state.cpp): a request of an exiting
// child may still release its pin while exit() runs.
State& state() {
    alignas(State) static unsigned char storage[sizeof(State)];
    static State* const s = new (storage) State();
    return *s;
}

apr_status_t release_cleanup(void* data) {
    release_snapshot(static_cast<SnapshotSlot*>(data));
    return APR_SUCCESS;
}

}  // namespace

SnapshotSlot* pin_snapshot() {
    return state().slots.pin();
}

void release_snapshot(SnapshotSlot* slot) {
    state().slots.release(slot);
}

void hold_for_request(request_rec* r, SnapshotSlot* slot) {
    apr_pool_cleanup_register(r->pool, slot, release_cleanup, apr_pool_cleanup_null);
}

const Snapshot* pin_for_request(request_rec* r) {
    SnapshotSlot* slot = pin_snapshot();
    if (!slot) return nullptr;
    hold_for_request(r, slot);
    return &slot->value;
}

void install_initial(const Runtime* runtime, std::uint64_t generation, std::uint64_t hash,
                     std::int64_t loaded_ms) {
    State& s = state();
    s.slots.reset();
    s.generation.store(generation);
    s.pass_generation = generation;
    if (!runtime) return;
    Snapshot first;
    first.runtime = runtime;
    first.generation = generation;
    first.hash = hash;
    first.loaded_ms = loaded_ms;
    s.slots.install(std::move(first));
}

bool install(Snapshot&& next) {
    State& s = state();
    std::uint64_t generation = next.generation;
    if (!s.slots.install(std::move(next))) return false;
    s.generation.store(generation);
    return true;
}

bool can_install() {
    return state().slots.has_free_slot();
}

std::uint64_t serving_generation() {
    return state().generation.load(std::memory_order_relaxed);
}

}  // namespace zdu::glue

namespace zdu::glue {

std::uint64_t pass_generation() {
    return state().pass_generation;
}

}  // namespace zdu::glue
