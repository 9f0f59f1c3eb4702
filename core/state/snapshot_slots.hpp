// A process's current snapshot of something immutable (the runtime), replaced while readers on
// many threads keep using the one they pinned: no lock for readers, and a replaced snapshot is
// destroyed by whoever drops its last pin.
//
// Pins live in a fixed array of slots that is never freed, so a reader that loaded a slot
// pointer just before a swap increments memory that still exists; it then checks that the slot
// is still current and lets go if not. The pin (an add, then a load of the current pointer) and
// the swap (a store of the current pointer, then a load of the pin count) are sequentially
// consistent, so either the reader sees the new pointer or the swap sees the pin. Slot states
// change by compare-and-swap, so exactly one thread destroys a snapshot. (std::atomic_load on
// a shared_ptr would take a lock from libstdc++'s mutex pool per call.)
#pragma once

#include <atomic>
#include <cstddef>
#include <utility>

namespace zdu::state {

template <class T, std::size_t N = 8>
class SnapshotSlots {
  public:
    struct Slot {
        enum State : int { Free, Live, Retired, Destroying };
        std::atomic<long> pins{0};
        std::atomic<int> state{Free};
        T value{};
    };

    // The current slot, pinned until release(); null when nothing is installed.
    Slot* pin() {
        for (;;) {
            Slot* slot = current_.load(std::memory_order_acquire);
            if (!slot) return nullptr;
            slot->pins.fetch_add(1);
            if (current_.load() == slot) return slot;
            release(slot);
        }
    }

    void release(Slot* slot) {
        if (slot->pins.fetch_sub(1) == 1) destroy(*slot);
    }

    // Makes `next` current and retires the previous snapshot (destroyed now if unpinned). One
    // installer at a time. False, and `next` untouched, while every other slot is still pinned.
    bool install(T&& next) {
        Slot* old = current_.load();
        for (Slot& slot : slots_) {
            if (&slot == old || slot.state.load() != Slot::Free || slot.pins.load() != 0) continue;
            slot.value = std::move(next);
            slot.state.store(Slot::Live);
            current_.store(&slot);
            if (old) {
                old->state.store(Slot::Retired);
                if (old->pins.load() == 0) destroy(*old);
            }
            return true;
        }
        return false;
    }

    // Whether install() would find a slot now: checked before building a snapshot at all.
    bool has_free_slot() const {
        const Slot* old = current_.load();
        for (const Slot& slot : slots_) {
            if (&slot != old && slot.state.load() == Slot::Free && slot.pins.load() == 0)
                return true;
        }
        return false;
    }

    // Empties every slot: only where no reader runs (a new config pass in httpd's parent).
    void reset() {
        current_.store(nullptr);
        for (Slot& slot : slots_) {
            slot.pins.store(0);
            slot.state.store(Slot::Free);
            slot.value = T{};
        }
    }

    const Slot* current() const { return current_.load(std::memory_order_acquire); }

  private:
    static void destroy(Slot& slot) {
        int retired = Slot::Retired;
        if (!slot.state.compare_exchange_strong(retired, Slot::Destroying)) return;
        T gone = std::move(slot.value);
        slot.value = T{};
        slot.state.store(Slot::Free);
        // `gone` is destroyed here, after the slot is free for the next install.
    }

    Slot slots_[N];
    std::atomic<Slot*> current_{nullptr};
};

}  // namespace zdu::state
