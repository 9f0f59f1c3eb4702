// The shared-memory session table: open addressing over 64-byte buckets of four 16-byte
// entries, lock-free (compare-and-swap on 8-byte words), a bounded probe window, so a lookup or
// an insert costs the same at 10k and at 1M sessions. Lives in a region of state::SharedBlock;
// any process and thread may use it at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sessions/session_store.hpp"

namespace zdu::sessions {

// Per instance record slot: what one sweep counted.
struct SlotCounts {
    std::uint32_t live = 0;       // live sessions, tracked from a Set-Cookie
    std::uint32_t untracked = 0;  // live sessions first seen through a client's cookie
    std::uint32_t expired = 0;    // live sessions of the slot that idled out in this sweep
};

struct SweepResult {
    std::vector<SlotCounts> per_slot;  // indexed by instance record slot
    std::uint64_t expired = 0;         // live sessions that idled out in this sweep
    std::uint64_t used = 0;            // entries in use after the sweep (live + ended markers)
};

struct TableStats {
    std::uint64_t capacity = 0;  // entries
    std::uint64_t bytes = 0;
    std::uint64_t overflow = 0;  // inserts refused because the window held only returning ones
    std::uint64_t evicted = 0;   // seen-once or ended entries pushed out by an insert
    std::uint64_t used = 0;      // entries in use at the last sweep
};

class SessionTable final : public SessionStore {
  public:
    // Bytes for a table that holds `sessions` live sessions (the ZduSessionSlots directive)
    // within its load budget; 1,000,000 sessions take at most 64 MiB.
    static std::size_t bytes_for(std::size_t sessions);
    // Formats `memory` (bytes_for(sessions) bytes, 64-byte aligned) as an empty table.
    static SessionTable create(void* memory, std::size_t sessions);
    // A table create() formatted earlier (e.g. in the parent).
    static SessionTable attach(void* memory);

    // A Live binding whose `expires` has passed is still returned until the next sweep
    // removes it: the caller compares with its clock (store_seconds) and treats it as idled out.
    Binding find(SessionKey key) const override;
    InsertResult insert(SessionKey key, std::uint16_t instance, Seconds expires,
                        std::uint8_t flags) override;
    void touch(SessionKey key, Seconds expires) override;
    void end(SessionKey key, Seconds marker_until) override;

    // Ends live entries whose deadline is before `now` (an Ended marker for `idle_marker` more
    // seconds; 0: removed at once), removes Ended markers past theirs, and counts the live ones
    // per instance slot (slots >= `slots` are ignored). Not for the request path: it reads the
    // whole table.
    SweepResult sweep(Seconds now, std::size_t slots, Seconds idle_marker = 0);
    // Copies every entry of `from` into this table, shifting times by `shift` seconds (a new
    // block has another clock origin); entries that would expire are dropped.
    void copy_from(const SessionTable& from, std::int64_t shift);

    TableStats stats() const;
    // Entries looked at by the last find/insert of this thread: for the micro-benchmark and
    // the tests that prove the window is bounded.
    static unsigned last_probes();

  private:
    struct Header;
    explicit SessionTable(Header* header) : header_(header) {}
    InsertResult place(std::uint64_t key, std::uint64_t data, int worst);
    template <typename Change>
    unsigned update_all(std::uint64_t key, Change change);
    Header* header_;
};

}  // namespace zdu::sessions
