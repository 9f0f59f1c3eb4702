#include "sessions/session_table.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>

namespace zdu::sessions {
namespace {

constexpr std::uint64_t kTableMagic = 0x7a64755f73657373ull;  // "zdu_sess"
constexpr std::uint64_t kFree = 0;                            // never used since create()
constexpr std::uint64_t kDeleted = 1;                         // used once, free again
constexpr unsigned kPerBucket = 4;
constexpr unsigned kWindowBuckets = 4;
constexpr unsigned kWindow = kPerBucket * kWindowBuckets;  // entries a key may live in
// Three entries per session: the window of 16 entries then almost never fills at the
// configured load, and 1M sessions still take 48 MB.
constexpr std::size_t kEntriesPerSession = 3;
// A race lost on a CAS restarts the operation; a bound keeps a pathological contention from
// spinning a request.
constexpr int kAttempts = 8;

struct Entry {
    std::atomic<std::uint64_t> key;
    // expires (32) | instance (16) | flags (3) | kind (2) | tag of the key (11). 0: no binding
    // (being written, being removed): readers skip it.
    std::atomic<std::uint64_t> data;
};
static_assert(sizeof(Entry) == 16, "an entry is two 8-byte words");

struct alignas(64) Bucket {
    Entry entries[kPerBucket];
};
static_assert(sizeof(Bucket) == 64, "a bucket is one cache line");

enum Kind : std::uint64_t { kNone = 0, kLive = 1, kEnded = 2 };

constexpr std::uint64_t tag_of(std::uint64_t key) {
    return key & 0x7ff;
}

std::uint64_t pack(std::uint64_t key, Kind kind, std::uint16_t instance, std::uint8_t flags,
                   Seconds expires) {
    return std::uint64_t{expires} | std::uint64_t{instance} << 32 |
           std::uint64_t{flags & 7u} << 48 | std::uint64_t{kind} << 51 | tag_of(key) << 53;
}

Kind kind_of(std::uint64_t d) {
    return static_cast<Kind>((d >> 51) & 3);
}
Seconds expires_of(std::uint64_t d) {
    return static_cast<Seconds>(d);
}
std::uint16_t instance_of(std::uint64_t d) {
    return static_cast<std::uint16_t>(d >> 32);
}
std::uint8_t flags_of(std::uint64_t d) {
    return static_cast<std::uint8_t>((d >> 48) & 7);
}
// The data word belongs to `key`: a binding is there and it carries the key's tag, so a data
// word written for another key that reused the slot is not taken for this key's.
bool valid_for(std::uint64_t d, std::uint64_t key) {
    return kind_of(d) != kNone && (d >> 53) == tag_of(key);
}

Binding decode(std::uint64_t d) {
    Binding b;
    b.found = kind_of(d) == kLive ? Found::Live : Found::Ended;
    b.instance = instance_of(d);
    b.flags = flags_of(d);
    b.expires = expires_of(d);
    return b;
}

thread_local unsigned probes = 0;

}  // namespace

struct SessionTable::Header {
    std::uint64_t magic;
    std::uint64_t buckets;
    std::uint64_t sessions;
    std::atomic<std::uint64_t> overflow;
    std::atomic<std::uint64_t> evicted;
    std::atomic<std::uint64_t> used;  // at the last sweep
    std::atomic<std::uint32_t> now;   // the last sweep's clock: what counts as expired
    std::uint32_t reserved0;
    std::uint64_t reserved1;
};

namespace {

// A key's window: two pairs of adjacent buckets at independent places. One run of four
// buckets fills at a load of 1/3 already (a run collects the keys of its neighbours too);
// two runs of two both full are far rarer, so 1M sessions fit 48 MB with nothing evicted.
struct Window {
    Bucket* buckets;
    std::uint64_t count;
    std::uint64_t first;
    std::uint64_t second;
    Entry& at(unsigned p) const {
        std::uint64_t b =
            p < kWindow / 2 ? first + p / kPerBucket : second + (p - kWindow / 2) / kPerBucket;
        if (b >= count) b -= count;
        return buckets[b].entries[p % kPerBucket];
    }
};

std::uint64_t buckets_for(std::size_t sessions) {
    std::uint64_t entries = std::max<std::uint64_t>(sessions, 1) * kEntriesPerSession;
    return std::max<std::uint64_t>((entries + kPerBucket - 1) / kPerBucket, kWindowBuckets);
}

// Multiply-shift range reduction, so the bucket count need not be a power of two (1M sessions
// fit 64 MiB only so).
std::uint64_t reduce(std::uint64_t h, std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<unsigned __int128>(h) * n) >> 64);
}

// The second pair starts 2 .. count-2 buckets after the first, so the four buckets are always
// distinct (a table of four buckets is one window).
Window window_of(Bucket* buckets, std::uint64_t count, std::uint64_t key) {
    std::uint64_t first = reduce(key, count);
    std::uint64_t second = first + 2 + reduce(key * 0x9e3779b97f4a7c15ull, count - 3);
    if (second >= count) second -= count;
    return Window{buckets, count, first, second};
}

// Reads slot `e` for `key`: its data word if it holds a binding of `key`, else 0. The key is
// read again after the data so a writer that reused the slot in between is never mistaken.
std::uint64_t read_for(const Entry& e, std::uint64_t key) {
    std::uint64_t d = e.data.load(std::memory_order_acquire);
    if (!valid_for(d, key)) return 0;
    return e.key.load(std::memory_order_acquire) == key ? d : 0;
}

// Takes the slot holding `d` out of use: whoever wins the CAS on the data word owns the slot.
bool remove_entry(Entry& e, std::uint64_t d) {
    if (!e.data.compare_exchange_strong(d, 0, std::memory_order_acq_rel)) return false;
    e.key.store(kDeleted, std::memory_order_release);
    return true;
}

}  // namespace

std::size_t SessionTable::bytes_for(std::size_t sessions) {
    return sizeof(Header) + buckets_for(sessions) * sizeof(Bucket);
}

SessionTable SessionTable::create(void* memory, std::size_t sessions) {
    static_assert(sizeof(Header) == 64, "the header is one cache line");
    std::memset(memory, 0, bytes_for(sessions));
    auto* h = static_cast<Header*>(memory);
    h->buckets = buckets_for(sessions);
    h->sessions = sessions;
    std::atomic_thread_fence(std::memory_order_release);
    h->magic = kTableMagic;
    return SessionTable(h);
}

SessionTable SessionTable::attach(void* memory) {
    return SessionTable(static_cast<Header*>(memory));
}

namespace {

// What an insert may push out, best first; returning sessions are never candidates.
enum VictimClass : int {
    kExpired = 0,    // a live session past its deadline or an ended marker past its own
    kEndedMark = 1,  // an ended marker still in force
    kSeenOnce = 2,   // a live session that never came back
    kNoVictim = 3,
};

VictimClass victim_class(std::uint64_t d, Seconds now) {
    if (expires_of(d) < now) return kExpired;
    if (kind_of(d) == kEnded) return kEndedMark;
    if (!(flags_of(d) & kReturning)) return kSeenOnce;
    return kNoVictim;
}

}  // namespace

InsertResult SessionTable::insert(SessionKey key, std::uint16_t instance, Seconds expires,
                                  std::uint8_t flags) {
    probes = 0;
    if (key.hash < 2) return InsertResult::Full;
    return place(key.hash, pack(key.hash, kLive, instance, flags, expires), kSeenOnce);
}

// Places `key` with data word `nd` (Live or Ended) in its window: updates the key's entry if
// there is one, else claims a free slot, else pushes out the best victim of a class no worse
// than `worst`. A lost CAS starts the scan again.
InsertResult SessionTable::place(std::uint64_t key, std::uint64_t nd, int worst) {
    Window w = window_of(reinterpret_cast<Bucket*>(header_ + 1), header_->buckets, key);
    const Seconds now = header_->now.load(std::memory_order_relaxed);
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        int reuse = -1, victim = -1;
        std::uint64_t reuse_key = 0, victim_data = 0;
        int victim_rank = kNoVictim;
        bool raced = false;
        for (unsigned p = 0; p < kWindow; ++p) {
            ++probes;
            Entry& e = w.at(p);
            std::uint64_t k = e.key.load(std::memory_order_acquire);
            if (k == kFree || k == kDeleted) {
                if (reuse < 0) {
                    reuse = static_cast<int>(p);
                    reuse_key = k;
                }
                if (k == kFree) break;  // nothing was ever stored past a free slot
                continue;
            }
            if (k == key) {
                std::uint64_t d = read_for(e, key);
                if (d == 0) continue;  // being written or removed: not a binding yet
                // A live session seen again keeps its returning mark; an ended one starts over.
                std::uint64_t merged = nd;
                if (kind_of(d) == kLive && kind_of(nd) == kLive)
                    merged |= static_cast<std::uint64_t>(flags_of(d) & kReturning) << 48;
                if (e.data.compare_exchange_strong(d, merged, std::memory_order_acq_rel))
                    return InsertResult::Updated;
                raced = true;
                break;
            }
            std::uint64_t d = e.data.load(std::memory_order_acquire);
            if (kind_of(d) == kNone) continue;
            int rank = victim_class(d, now);
            if (rank > worst) continue;
            if (rank < victim_rank ||
                (rank == victim_rank && expires_of(d) < expires_of(victim_data))) {
                victim = static_cast<int>(p);
                victim_rank = rank;
                victim_data = d;
            }
        }
        if (raced) continue;
        int slot = -1;
        if (reuse >= 0) {
            Entry& e = w.at(static_cast<unsigned>(reuse));
            if (!e.key.compare_exchange_strong(reuse_key, key, std::memory_order_acq_rel)) continue;
            e.data.store(nd, std::memory_order_release);
            slot = reuse;
        } else if (victim >= 0) {
            Entry& e = w.at(static_cast<unsigned>(victim));
            std::uint64_t d = victim_data;
            if (!e.data.compare_exchange_strong(d, 0, std::memory_order_acq_rel)) continue;
            e.key.store(key, std::memory_order_release);
            e.data.store(nd, std::memory_order_release);
            if (victim_rank != kExpired) header_->evicted.fetch_add(1, std::memory_order_relaxed);
            slot = victim;
        } else {
            header_->overflow.fetch_add(1, std::memory_order_relaxed);
            return InsertResult::Full;
        }
        // Another insert of the same key may have claimed an earlier slot meanwhile: the
        // earliest copy is the one every reader finds first, so this one gives way to it.
        bool duplicate = false;
        for (unsigned q = 0; q < static_cast<unsigned>(slot); ++q) {
            if (read_for(w.at(q), key) != 0) {
                duplicate = true;
                break;
            }
        }
        if (!duplicate) return InsertResult::Inserted;
        remove_entry(w.at(static_cast<unsigned>(slot)), nd);
    }
    header_->overflow.fetch_add(1, std::memory_order_relaxed);
    return InsertResult::Full;
}

Binding SessionTable::find(SessionKey key) const {
    probes = 0;
    if (key.hash < 2) return {};
    Window w = window_of(reinterpret_cast<Bucket*>(header_ + 1), header_->buckets, key.hash);
    for (unsigned p = 0; p < kWindow; ++p) {
        ++probes;
        const Entry& e = w.at(p);
        std::uint64_t k = e.key.load(std::memory_order_acquire);
        if (k == kFree) break;
        if (k != key.hash) continue;
        if (std::uint64_t d = read_for(e, key.hash)) return decode(d);
    }
    return {};
}

// Applies `change` (old data -> new data, or 0 to leave it) to every binding of `key` in its
// window; how many there were.
template <typename Change>
unsigned SessionTable::update_all(std::uint64_t key, Change change) {
    Window w = window_of(reinterpret_cast<Bucket*>(header_ + 1), header_->buckets, key);
    unsigned seen = 0;
    for (unsigned p = 0; p < kWindow; ++p) {
        Entry& e = w.at(p);
        std::uint64_t k = e.key.load(std::memory_order_acquire);
        if (k == kFree) break;
        if (k != key) continue;
        for (int attempt = 0; attempt < kAttempts; ++attempt) {
            std::uint64_t d = read_for(e, key);
            if (d == 0) break;
            if (attempt == 0) ++seen;
            std::uint64_t nd = change(d);
            if (nd == 0 || nd == d) break;
            if (e.data.compare_exchange_strong(d, nd, std::memory_order_acq_rel)) break;
        }
    }
    return seen;
}

void SessionTable::touch(SessionKey key, Seconds expires) {
    if (key.hash < 2) return;
    update_all(key.hash, [&](std::uint64_t d) -> std::uint64_t {
        if (kind_of(d) != kLive) return 0;
        // Whole seconds: "within one second" is the same second, so most requests write
        // nothing and the bucket's cache line stays shared between the processes.
        if (expires_of(d) == expires) return 0;
        return pack(key.hash, kLive, instance_of(d), flags_of(d) | kReturning, expires);
    });
}

void SessionTable::end(SessionKey key, Seconds marker_until) {
    if (key.hash < 2) return;
    unsigned seen = update_all(key.hash, [&](std::uint64_t d) -> std::uint64_t {
        return pack(key.hash, kEnded, instance_of(d), flags_of(d), marker_until);
    });
    // A session the table never knew still gets its marker, so its old route is not followed;
    // it only takes a free or expired slot, never a live session's.
    if (seen == 0) place(key.hash, pack(key.hash, kEnded, 0, 0, marker_until), kExpired);
}

SweepResult SessionTable::sweep(Seconds now, std::size_t slots, Seconds idle_marker) {
    header_->now.store(now, std::memory_order_relaxed);
    SweepResult r;
    r.per_slot.resize(slots);
    auto* buckets = reinterpret_cast<Bucket*>(header_ + 1);
    const std::uint64_t count = header_->buckets;
    for (std::uint64_t b = 0; b < count; ++b) {
        for (unsigned j = 0; j < kPerBucket; ++j) {
            Entry& e = buckets[b].entries[j];
            std::uint64_t k = e.key.load(std::memory_order_acquire);
            if (k < 2) continue;
            std::uint64_t d = read_for(e, k);
            if (d == 0) continue;
            if (expires_of(d) < now) {
                const bool live = kind_of(d) == kLive;
                // An idled-out session leaves an ended marker, so a client that comes back
                // with its cookie starts a new session instead of following the old route.
                const bool done =
                    live && idle_marker > 0
                        ? e.data.compare_exchange_strong(
                              d, pack(k, kEnded, instance_of(d), flags_of(d), now + idle_marker),
                              std::memory_order_acq_rel)
                        : remove_entry(e, d);
                if (done && live) {
                    ++r.expired;
                    if (instance_of(d) < slots) ++r.per_slot[instance_of(d)].expired;
                }
                continue;
            }
            // A copy left by two racing inserts of one key: the earlier one is the binding.
            Window w = window_of(buckets, count, k);
            bool duplicate = false;
            for (unsigned q = 0; q < kWindow && &w.at(q) != &e; ++q) {
                if (read_for(w.at(q), k) != 0) {
                    duplicate = true;
                    break;
                }
            }
            if (duplicate) {
                remove_entry(e, d);
                continue;
            }
            ++r.used;
            if (kind_of(d) != kLive) continue;
            std::uint16_t slot = instance_of(d);
            if (slot >= slots) continue;
            if (flags_of(d) & kUntracked) {
                ++r.per_slot[slot].untracked;
            } else {
                ++r.per_slot[slot].live;
            }
        }
    }
    header_->used.store(r.used, std::memory_order_relaxed);
    return r;
}

void SessionTable::copy_from(const SessionTable& from, std::int64_t shift) {
    auto* buckets = reinterpret_cast<Bucket*>(from.header_ + 1);
    for (std::uint64_t b = 0; b < from.header_->buckets; ++b) {
        for (const Entry& e : buckets[b].entries) {
            std::uint64_t k = e.key.load(std::memory_order_acquire);
            if (k < 2) continue;
            std::uint64_t d = read_for(e, k);
            if (d == 0) continue;
            std::int64_t expires = std::int64_t{expires_of(d)} + shift;
            if (expires <= 0) continue;
            expires = std::min<std::int64_t>(expires, std::numeric_limits<Seconds>::max());
            place(k,
                  pack(k, kind_of(d), instance_of(d), flags_of(d), static_cast<Seconds>(expires)),
                  kSeenOnce);
        }
    }
    header_->overflow.fetch_add(from.header_->overflow.load(std::memory_order_relaxed),
                                std::memory_order_relaxed);
    header_->evicted.fetch_add(from.header_->evicted.load(std::memory_order_relaxed),
                               std::memory_order_relaxed);
}

TableStats SessionTable::stats() const {
    TableStats s;
    s.capacity = header_->buckets * kPerBucket;
    s.bytes = sizeof(Header) + header_->buckets * sizeof(Bucket);
    s.overflow = header_->overflow.load(std::memory_order_relaxed);
    s.evicted = header_->evicted.load(std::memory_order_relaxed);
    s.used = header_->used.load(std::memory_order_relaxed);
    return s;
}

unsigned SessionTable::last_probes() {
    return probes;
}

}  // namespace zdu::sessions
