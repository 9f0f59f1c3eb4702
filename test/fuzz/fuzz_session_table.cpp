// The shared-memory session table driven by a sequence of operations, checked after each one
// against a std::map model: find gives what the model holds, except for the one entry an insert
// may push out (never a returning session) and the entries a sweep ends. The tiny table (one
// probe window) makes the fuzzer meet full windows, evictions and reused slots at once.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <vector>

#include "fuzz_support.hpp"
#include "sessions/session_table.hpp"

using namespace zdu::sessions;

namespace {

struct Model {
    Found found = Found::None;
    std::uint16_t instance = 0;
    std::uint8_t flags = 0;
    Seconds expires = 0;
};

struct Memory {
    explicit Memory(std::size_t sessions)
        : bytes(SessionTable::bytes_for(sessions)),
          raw(static_cast<unsigned char*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64))) {}
    struct Free {
        void operator()(unsigned char* p) const { std::free(p); }
    };
    std::size_t bytes;
    std::unique_ptr<unsigned char, Free> raw;
};

bool same(const Binding& b, const Model& m) {
    return b.found == m.found && b.instance == m.instance && b.flags == m.flags &&
           b.expires == m.expires;
}

// What an insert may take the place of: anything but a returning live session in force.
bool evictable(const Model& m, Seconds now) {
    return m.expires < now || m.found == Found::Ended || !(m.flags & kReturning);
}

class Checker {
  public:
    Checker(FuzzedDataProvider& in, std::size_t sessions)
        : in_(in), memory_(sessions), table_(SessionTable::create(memory_.raw.get(), sessions)) {
        // Keys from a small pool, so operations meet the same sessions again.
        const std::size_t pool = in_.ConsumeIntegralInRange<std::size_t>(1, 24);
        for (std::size_t i = 0; i < pool; ++i)
            keys_.push_back(in_.ConsumeIntegral<std::uint64_t>());
    }

    void run() {
        while (in_.remaining_bytes() > 0) step();
        check_copy();
    }

  private:
    SessionKey key() {
        std::uint64_t h = keys_[in_.ConsumeIntegralInRange<std::size_t>(0, keys_.size() - 1)];
        return {h < 2 ? h + 2 : h};
    }
    // Around the clock of the last sweep, sometimes already past it.
    Seconds time() {
        return (now_ >= 10 ? now_ - 10 : 0) + in_.ConsumeIntegralInRange<Seconds>(0, 40);
    }

    void step() {
        switch (in_.ConsumeIntegralInRange(0, 4)) {
            case 0:
                return insert();
            case 1:
                return touch();
            case 2:
                return end();
            case 3:
                return sweep();
            default:
                return find();
        }
    }

    void insert() {
        const SessionKey k = key();
        const auto instance = in_.ConsumeIntegralInRange<std::uint16_t>(0, 5);
        const Seconds expires = time();
        const auto flags = in_.ConsumeIntegral<std::uint8_t>();
        const auto before = table_.stats();
        const InsertResult r = table_.insert(k, instance, expires, flags);
        auto it = model_.find(k.hash);
        if (r == InsertResult::Full) {
            ZDU_FUZZ_CHECK(it == model_.end());
            ZDU_FUZZ_CHECK(table_.stats().overflow == before.overflow + 1);
            return check_all();
        }
        ZDU_FUZZ_CHECK((r == InsertResult::Updated) == (it != model_.end()));
        std::uint8_t kept = 0;
        if (it != model_.end() && it->second.found == Found::Live)
            kept = it->second.flags & kReturning;
        model_[k.hash] = {Found::Live, instance, static_cast<std::uint8_t>((flags & 7) | kept),
                          expires};
        check_all(r == InsertResult::Inserted ? k.hash : 0, before);
    }

    void touch() {
        const SessionKey k = key();
        const Seconds expires = time();
        table_.touch(k, expires);
        auto it = model_.find(k.hash);
        if (it != model_.end() && it->second.found == Found::Live &&
            it->second.expires != expires) {
            it->second.expires = expires;
            it->second.flags |= kReturning;
        }
        check_all();
    }

    void end() {
        const SessionKey k = key();
        const Seconds until = time();
        const auto before = table_.stats();
        table_.end(k, until);
        auto it = model_.find(k.hash);
        if (it != model_.end()) {
            it->second.found = Found::Ended;
            it->second.expires = until;
            return check_all();
        }
        // Unknown: a marker when a free or expired slot takes it, else nothing.
        if (table_.find(k).found == Found::Ended) {
            model_[k.hash] = {Found::Ended, 0, 0, until};
            return check_all(k.hash, before, /*only_expired=*/true);
        }
        ZDU_FUZZ_CHECK(table_.find(k).found == Found::None);
        check_all();
    }

    void sweep() {
        now_ += in_.ConsumeIntegralInRange<Seconds>(0, 20);
        const Seconds marker = in_.ConsumeIntegralInRange<Seconds>(0, 5);
        const SweepResult r = table_.sweep(now_, 6, marker);
        std::uint64_t expired = 0, used = 0;
        std::vector<SlotCounts> slots(6);
        for (auto it = model_.begin(); it != model_.end();) {
            Model& m = it->second;
            if (m.expires < now_) {
                if (m.found == Found::Live) {
                    ++expired;
                    ++slots[m.instance].expired;
                }
                if (m.found == Found::Live && marker > 0) {
                    m = {Found::Ended, m.instance, m.flags, now_ + marker};
                    ++it;
                } else {
                    it = model_.erase(it);
                }
                continue;  // not counted as used until the next sweep
            }
            ++used;
            if (m.found == Found::Live) {
                ++(m.flags & kUntracked ? slots[m.instance].untracked : slots[m.instance].live);
            }
            ++it;
        }
        ZDU_FUZZ_CHECK(r.expired == expired && r.used == used);
        for (std::size_t s = 0; s < slots.size(); ++s) {
            ZDU_FUZZ_CHECK(r.per_slot[s].live == slots[s].live);
            ZDU_FUZZ_CHECK(r.per_slot[s].untracked == slots[s].untracked);
            ZDU_FUZZ_CHECK(r.per_slot[s].expired == slots[s].expired);
        }
        check_all();
    }

    void find() {
        const SessionKey k = key();
        auto it = model_.find(k.hash);
        const Binding b = table_.find(k);
        ZDU_FUZZ_CHECK(it == model_.end() ? b.found == Found::None : same(b, it->second));
    }

    // Every model entry must be found as modelled. After an insert of a new key (`placed`), one
    // other entry may be gone: pushed out, so it must have been evictable (only an expired one
    // for an end's marker), and counted as evicted unless it had expired.
    void check_all(std::uint64_t placed = 0, TableStats before = {}, bool only_expired = false) {
        std::uint64_t gone = 0;
        for (auto it = model_.begin(); it != model_.end();) {
            const Binding b = table_.find({it->first});
            if (same(b, it->second)) {
                ++it;
                continue;
            }
            ZDU_FUZZ_CHECK(placed != 0 && it->first != placed && gone == 0);
            ZDU_FUZZ_CHECK(b.found == Found::None);
            const bool expired = it->second.expires < now_;
            ZDU_FUZZ_CHECK(only_expired ? expired : evictable(it->second, now_));
            ZDU_FUZZ_CHECK(table_.stats().evicted == before.evicted + (expired ? 0 : 1));
            gone = it->first;
            it = model_.erase(it);
        }
        if (placed != 0 && gone == 0) ZDU_FUZZ_CHECK(table_.stats().evicted == before.evicted);
    }

    // A copy into a new block keeps every entry that has not run out, times shifted.
    void check_copy() {
        Memory memory(64);
        SessionTable copy = SessionTable::create(memory.raw.get(), 64);
        const std::int64_t shift = -static_cast<std::int64_t>(now_ / 2);
        copy.copy_from(table_, shift);
        for (const auto& [hash, m] : model_) {
            const std::int64_t expires = std::int64_t{m.expires} + shift;
            const Binding b = copy.find({hash});
            if (expires <= 0) {
                ZDU_FUZZ_CHECK(b.found == Found::None);
                continue;
            }
            // The larger table may still refuse a key whose window is full of others.
            const auto pushed = [](const TableStats& t) { return t.overflow + t.evicted; };
            if (b.found == Found::None && pushed(copy.stats()) > pushed(table_.stats())) continue;
            Model shifted = m;
            shifted.expires = static_cast<Seconds>(expires);
            ZDU_FUZZ_CHECK(same(b, shifted));
        }
    }

    FuzzedDataProvider& in_;
    Memory memory_;
    SessionTable table_;
    std::vector<std::uint64_t> keys_;
    std::map<std::uint64_t, Model> model_;
    Seconds now_ = 0;  // the table's clock starts at 0 too
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    // 1 to 8 sessions: a table of 4 to 6 buckets, so windows overlap and fill.
    const auto sessions = in.ConsumeIntegralInRange<std::size_t>(1, 8);
    Checker(in, sessions).run();
    return 0;
}
