// A process's current snapshot of something immutable (the runtime), replaced while readers on
// many threads keep using the one they pinned: no lock for readers, and a replaced snapshot is
// destroyed by whoever drops its last pin.
//
// Pins live in a fixed array of slots that is never freed, so a reader that loaded a slot
// pointer just before a swap increments memory that still exists; it then checks that the slot
// is still current and lets go if not. The pin (an add, then a load of the current pointer) and
// the swap (a store of the current pointer, then the retire) are sequentially consistent, so
// either the reader sees the new pointer or the retire sees the pin.
//
// A slot's state and its pin count share one atomic word, so "retired and unpinned" is one
// value and the destroy is a single compare-and-swap from it. With two words a releaser that
// saw the count drop to zero could be overtaken, before it checked the state, by a reuse of the
// slot, a new pin and a second retire: it then destroyed a snapshot in use. (std::atomic_load
// on a shared_ptr would take a lock from libstdc++'s mutex pool per call.)
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace zdu::state {

template <class T, std::size_t N = 8>
class SnapshotSlots {
  public:
    struct Slot {
        // The low two bits of `word` are the state, the rest the pin count in units of kPin.
        enum State : std::uint64_t { Free = 0, Live = 1, Retired = 2, Destroying = 3 };
        static constexpr std::uint64_t kStateMask = 3;
        static constexpr std::uint64_t kPin = 4;
        std::atomic<std::uint64_t> word{Free};
        T value{};

        State state() const { return static_cast<State>(word.load() & kStateMask); }
        std::uint64_t pins() const { return word.load() / kPin; }
    };

    // The current slot, pinned until release(); null when nothing is installed.
    Slot* pin() {
        for (;;) {
            Slot* slot = current_.load(std::memory_order_acquire);
            if (!slot) return nullptr;
            slot->word.fetch_add(Slot::kPin);
            if (current_.load() == slot) return slot;
            release(slot);
        }
    }

    void release(Slot* slot) {
        if (slot->word.fetch_sub(Slot::kPin) == (Slot::Retired | Slot::kPin)) destroy(*slot);
    }

    // Makes `next` current and retires the previous snapshot (destroyed now if unpinned). One
    // installer at a time. False, and `next` untouched, while every other slot is still pinned.
    bool install(T&& next) {
        Slot* old = current_.load();
        for (Slot& slot : slots_) {
            if (&slot == old || slot.word.load() != Slot::Free) continue;
            // A reader holding a stale pointer may pin it from here on; it sees the slot is not
            // current and lets go without reading the value.
            slot.value = std::move(next);
            slot.word.fetch_or(Slot::Live);
            current_.store(&slot);
            if (old && old->word.fetch_add(Slot::Retired - Slot::Live) == Slot::Live) destroy(*old);
            return true;
        }
        return false;
    }

    // Whether install() would find a slot now: checked before building a snapshot at all.
    bool has_free_slot() const {
        const Slot* old = current_.load();
        for (const Slot& slot : slots_) {
            if (&slot != old && slot.word.load() == Slot::Free) return true;
        }
        return false;
    }

    // Empties every slot: only where no reader runs (a new config pass in httpd's parent).
    void reset() {
        current_.store(nullptr);
        for (Slot& slot : slots_) {
            slot.word.store(Slot::Free);
            slot.value = T{};
        }
    }

    const Slot* current() const { return current_.load(std::memory_order_acquire); }

  private:
    // Only from "retired, no pins" exactly; a pin taken meanwhile makes the swap fail and that
    // pin's release tries again.
    static void destroy(Slot& slot) {
        std::uint64_t unpinned = Slot::Retired;
        if (!slot.word.compare_exchange_strong(unpinned, Slot::Destroying)) return;
        T gone = std::move(slot.value);
        slot.value = T{};
        // Stale pins taken while destroying stay counted; only the state goes back to Free.
        slot.word.fetch_and(~Slot::kStateMask);
        // `gone` is destroyed here, after the slot is free for the next install.
    }

    Slot slots_[N];
    std::atomic<Slot*> current_{nullptr};
};

}  // namespace zdu::state
