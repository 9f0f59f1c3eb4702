#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sessions/session_table.hpp"
#include "state/record_keys.hpp"

using namespace zdu::sessions;

namespace {

// 64-byte aligned memory for a table of `sessions`, as a region of the shared block gives.
struct TableMemory {
    explicit TableMemory(std::size_t sessions)
        : words(SessionTable::bytes_for(sessions) / 8 + 8),
          table(SessionTable::create(aligned(), sessions)) {}
    void* aligned() {
        auto p = reinterpret_cast<std::uintptr_t>(words.data());
        return reinterpret_cast<void*>((p + 63) / 64 * 64);
    }
    std::vector<std::uint64_t> words;
    SessionTable table;
};

SessionKey key_of(std::uint64_t seed, std::size_t n) {
    return session_key(seed, zdu::state::cluster_key("c"), "S" + std::to_string(n) + ".node1");
}

}  // namespace

TEST_CASE("a session is found, touched, ended and swept", "[sessions]") {
    TableMemory m(64);
    SessionTable& t = m.table;
    SessionKey k = key_of(1, 1);
    CHECK(t.find(k).found == Found::None);
    CHECK(t.insert(k, 3, 100, 0) == InsertResult::Inserted);
    Binding b = t.find(k);
    CHECK(b.found == Found::Live);
    CHECK(b.instance == 3);
    CHECK(b.expires == 100);
    CHECK(b.flags == 0);

    // The same second: nothing is written, so the session is not even marked returning.
    t.touch(k, 100);
    CHECK(t.find(k).flags == 0);
    t.touch(k, 160);
    b = t.find(k);
    CHECK(b.expires == 160);
    CHECK(b.flags == kReturning);

    // A second Set-Cookie of the same id rebinds it and keeps it returning.
    CHECK(t.insert(k, 4, 200, kUntracked) == InsertResult::Updated);
    b = t.find(k);
    CHECK(b.instance == 4);
    CHECK(b.flags == (kUntracked | kReturning));

    t.end(k, 300);
    b = t.find(k);
    CHECK(b.found == Found::Ended);
    CHECK(b.expires == 300);
    CHECK(b.instance == 4);
    t.touch(k, 400);  // an ended session is not revived by its old cookie
    CHECK(t.find(k).found == Found::Ended);

    // The marker stays until its deadline, then the sweep removes it.
    CHECK(t.sweep(250, 8).used == 1);
    CHECK(t.find(k).found == Found::Ended);
    CHECK(t.sweep(301, 8).used == 0);
    CHECK(t.find(k).found == Found::None);

    // After the marker the id may start a session again.
    CHECK(t.insert(k, 5, 900, 0) == InsertResult::Inserted);
    CHECK(t.find(k).instance == 5);
}

TEST_CASE("ending a session the table never knew leaves a marker", "[sessions]") {
    TableMemory m(64);
    SessionKey k = key_of(1, 7);
    m.table.end(k, 50);
    CHECK(m.table.find(k).found == Found::Ended);
    CHECK(m.table.find(SessionKey{0}).found == Found::None);
    CHECK(m.table.insert(SessionKey{0}, 1, 1, 0) == InsertResult::Full);
}

TEST_CASE("the sweep counts live sessions per instance and removes idle ones", "[sessions]") {
    TableMemory m(256);
    SessionTable& t = m.table;
    for (std::size_t i = 0; i < 30; ++i) t.insert(key_of(2, i), i % 3, 100, 0);
    for (std::size_t i = 30; i < 35; ++i) t.insert(key_of(2, i), 1, 100, kUntracked);
    for (std::size_t i = 35; i < 45; ++i) t.insert(key_of(2, i), 2, 10, 0);  // idle by 50
    t.insert(key_of(2, 45), 9, 100, 0);                                      // slot beyond `slots`
    t.end(key_of(2, 0), 100);                                                // ended: not live

    SweepResult r = t.sweep(50, 3);
    REQUIRE(r.per_slot.size() == 3);
    CHECK(r.per_slot[0].live == 9);
    CHECK(r.per_slot[1].live == 10);
    CHECK(r.per_slot[1].untracked == 5);
    CHECK(r.per_slot[2].live == 10);
    CHECK(r.expired == 10);
    CHECK(r.per_slot[2].expired == 10);  // each instance's record counts its own
    CHECK(r.per_slot[0].expired == 0);
    CHECK(r.used == 36);  // 34 live + 1 beyond the slots + 1 marker
    CHECK(t.stats().used == 36);
    CHECK(t.find(key_of(2, 36)).found == Found::None);
    CHECK(t.sweep(50, 3).expired == 0);  // removed once
}

// A table of one session has a single window (four buckets, sixteen entries): every key of
// every seed competes for the same slots, so these tests need no search for colliding keys.
TEST_CASE("a full window evicts seen-once sessions, oldest first, never returning ones",
          "[sessions]") {
    TableMemory m(1);
    SessionTable& t = m.table;
    REQUIRE(t.stats().capacity == 16);
    for (std::size_t i = 0; i < 16; ++i) {
        CHECK(t.insert(key_of(3, i), 1, static_cast<Seconds>(1000 + i), 0) ==
              InsertResult::Inserted);
        CHECK(SessionTable::last_probes() <= 16);
    }
    // Sessions 0..11 come back; 12..15 were seen once.
    for (std::size_t i = 0; i < 12; ++i) t.touch(key_of(3, i), static_cast<Seconds>(2000 + i));

    // One ended marker: it goes before any live session.
    t.end(key_of(3, 5), 3000);
    CHECK(t.insert(key_of(3, 100), 2, 5000, 0) == InsertResult::Inserted);
    CHECK(t.find(key_of(3, 5)).found == Found::None);
    CHECK(t.stats().evicted == 1);

    // Then the seen-once ones by deadline: 12 (1012) goes first, then 13.
    CHECK(t.insert(key_of(3, 101), 2, 5000, 0) == InsertResult::Inserted);
    CHECK(t.find(key_of(3, 12)).found == Found::None);
    CHECK(t.find(key_of(3, 13)).found == Found::Live);
    CHECK(t.insert(key_of(3, 102), 2, 5000, 0) == InsertResult::Inserted);
    CHECK(t.find(key_of(3, 13)).found == Found::None);
    CHECK(t.insert(key_of(3, 103), 2, 5000, 0) == InsertResult::Inserted);
    CHECK(t.insert(key_of(3, 104), 2, 5000, 0) == InsertResult::Inserted);
    CHECK(t.stats().evicted == 5);
    // 14, 15 gone; 100..104 are seen-once too and go next, by deadline: make them returning.
    for (std::size_t i = 100; i <= 104; ++i) t.touch(key_of(3, i), 6000);
    CHECK(t.insert(key_of(3, 105), 2, 5000, 0) == InsertResult::Full);
    CHECK(t.stats().overflow == 1);
    for (std::size_t i = 0; i < 12; ++i) {
        if (i != 5) CHECK(t.find(key_of(3, i)).found == Found::Live);
    }

    // Expired sessions are reused first once a sweep has moved the clock past them.
    t.sweep(2006, 4);  // 0..5 expired (deadlines 2000..2005)
    CHECK(t.insert(key_of(3, 105), 2, 7000, 0) == InsertResult::Inserted);
    CHECK(t.find(key_of(3, 105)).instance == 2);
}

TEST_CASE("an expired entry is reused before a seen-once one is evicted", "[sessions]") {
    TableMemory m(1);
    SessionTable& t = m.table;
    for (std::size_t i = 0; i < 16; ++i) t.insert(key_of(4, i), 1, i == 9 ? 10 : 1000, 0);
    // Without a sweep the table's clock is 0: nothing is expired, the oldest seen-once goes.
    CHECK(t.insert(key_of(4, 100), 1, 1000, 0) == InsertResult::Inserted);
    CHECK(t.find(key_of(4, 9)).found == Found::None);
    CHECK(t.stats().evicted == 1);
    t.insert(key_of(4, 101), 1, 20, 0);  // only that one idles out before 30
    SweepResult r = t.sweep(30, 2);
    CHECK(r.expired == 1);
    CHECK(t.insert(key_of(4, 102), 1, 1000, 0) == InsertResult::Inserted);
    CHECK(t.stats().evicted == 2);  // the sweep freed the slot: no eviction for this one
}

TEST_CASE("a million sessions fit in 64 MiB and are all stored", "[sessions]") {
    constexpr std::size_t kSessions = 1'000'000;
    REQUIRE(SessionTable::bytes_for(kSessions) <= 64u * 1024 * 1024);
    TableMemory m(kSessions);
    SessionTable& t = m.table;
    unsigned max_insert = 0, max_find = 0;
    std::size_t inserted = 0;
    for (std::size_t i = 0; i < kSessions; ++i) {
        inserted += t.insert(key_of(5, i), static_cast<std::uint16_t>(i % 7), 100, 0) ==
                    InsertResult::Inserted;
        max_insert = std::max(max_insert, SessionTable::last_probes());
    }
    std::size_t found = 0;
    for (std::size_t i = 0; i < kSessions; ++i) {
        Binding b = t.find(key_of(5, i));
        found += b.found == Found::Live && b.instance == i % 7;
        max_find = std::max(max_find, SessionTable::last_probes());
    }
    TableStats s = t.stats();
    INFO("overflow " << s.overflow << ", evicted " << s.evicted << ", bytes " << s.bytes);
    CHECK(inserted == kSessions);
    CHECK(found == kSessions);
    CHECK(s.overflow == 0);
    CHECK(s.evicted == 0);
    CHECK(max_insert <= 16);
    CHECK(max_find <= 16);
    SweepResult r = t.sweep(50, 7);
    std::size_t live = 0;
    for (const SlotCounts& c : r.per_slot) live += c.live;
    CHECK(live == kSessions);
}

// Eight threads on one window: every insert, touch and end meets the others' CAS. Each key's
// binding is a function of the key, so a reader handed another key's data would see it.
TEST_CASE("eight threads on one window never see another key's binding", "[sessions]") {
    for (std::size_t sessions : {std::size_t{1}, std::size_t{512}}) {
        TableMemory m(sessions);
        SessionTable& t = m.table;
        constexpr int kThreads = 8;
        constexpr int kOps = 40000;
        const std::size_t kKeys = sessions == 1 ? 24 : 2000;  // more keys than slots
        auto instance_of = [](SessionKey k) { return static_cast<std::uint16_t>(k.hash % 997); };
        auto expires_of = [](SessionKey k) { return static_cast<Seconds>(1000 + k.hash % 50); };
        std::atomic<std::uint64_t> wrong{0}, live_seen{0}, probes_over{0};
        std::vector<std::thread> threads;
        for (int th = 0; th < kThreads; ++th) {
            threads.emplace_back([&, th] {
                std::mt19937_64 rng(th);
                for (int op = 0; op < kOps; ++op) {
                    SessionKey k = key_of(6, rng() % kKeys);
                    switch (rng() % 4) {
                        case 0:
                            t.insert(k, instance_of(k), expires_of(k), 0);
                            break;
                        case 1:
                            t.touch(k, expires_of(k) + 1000);
                            break;
                        case 2:
                            t.end(k, expires_of(k));
                            break;
                        default: {
                            Binding b = t.find(k);
                            if (SessionTable::last_probes() > 16) ++probes_over;
                            if (b.found == Found::None) break;
                            // Live: inserted or touched; Ended: a marker of this key's own.
                            bool ok =
                                (b.instance == instance_of(k) || b.instance == 0) &&
                                (b.expires == expires_of(k) || b.expires == expires_of(k) + 1000);
                            if (b.found == Found::Live) ++live_seen;
                            if (!ok) ++wrong;
                        }
                    }
                }
            });
        }
        for (auto& th : threads) th.join();
        INFO("table of " << sessions);
        CHECK(wrong.load() == 0);
        CHECK(probes_over.load() == 0);
        CHECK(live_seen.load() > 0);

        // After the storm: one binding per key, each its own, counted once.
        SweepResult r = t.sweep(0, 1000);
        std::uint64_t live = 0, still = 0;
        for (const SlotCounts& c : r.per_slot) live += c.live;
        for (std::size_t i = 0; i < kKeys; ++i) {
            SessionKey k = key_of(6, i);
            Binding b = t.find(k);
            if (b.found == Found::Live) {
                ++still;
                CHECK(b.instance == instance_of(k));
            }
        }
        CHECK(live == still);
        CHECK(r.used <= t.stats().capacity);
    }
}

TEST_CASE("two inserts of one new key leave one binding", "[sessions]") {
    // Many rounds of eight threads inserting the same fresh key at once: the later copy gives
    // way (or the sweep removes it), so the sweep counts the session once.
    TableMemory m(64);
    SessionTable& t = m.table;
    constexpr int kRounds = 300;
    for (int round = 0; round < kRounds; ++round) {
        SessionKey k = key_of(8, static_cast<std::size_t>(round));
        std::atomic<int> go{0};
        std::vector<std::thread> threads;
        for (int th = 0; th < 8; ++th) {
            threads.emplace_back([&] {
                while (go.load() == 0) {
                }
                t.insert(k, 1, 100, 0);
            });
        }
        go = 1;
        for (auto& th : threads) th.join();
        CHECK(t.sweep(0, 2).per_slot[1].live == 1);
        t.end(k, 0);  // then removed by the next round's sweep
    }
}

TEST_CASE("a table copied into a new block keeps its sessions on the new clock", "[sessions]") {
    TableMemory from(64), to(256);
    from.table.insert(key_of(9, 1), 2, 100, kReturning);
    from.table.insert(key_of(9, 2), 3, 30, 0);  // idles out before the new block's second 0
    from.table.end(key_of(9, 3), 200);
    to.table.copy_from(from.table, -40);
    Binding b = to.table.find(key_of(9, 1));
    CHECK(b.found == Found::Live);
    CHECK(b.instance == 2);
    CHECK(b.expires == 60);
    CHECK(b.flags == kReturning);
    CHECK(to.table.find(key_of(9, 2)).found == Found::None);
    CHECK(to.table.find(key_of(9, 3)).found == Found::Ended);
    CHECK(to.table.find(key_of(9, 3)).expires == 160);
}

// What a reader sees when a writer reuses a slot between its read of the key word and its read
// of the data word: the old key beside the new key's data. The test forges that moment in the
// table's memory (two 8-byte words per entry, key first) and the reader must not take the
// other key's binding for its own.
TEST_CASE("a reader never takes a reused slot's new binding for its old key", "[sessions]") {
    TableMemory m(1);
    SessionTable& t = m.table;
    const SessionKey a{0x5a5a0000'00001005ull}, b{0x3c3c0000'00002009ull};  // other tags
    REQUIRE(t.insert(a, 1, 100, 0) == InsertResult::Inserted);
    REQUIRE(t.insert(b, 2, 200, 0) == InsertResult::Inserted);
    std::uint64_t* words = static_cast<std::uint64_t*>(m.aligned()) + 8;  // past the header
    std::uint64_t *a_data = nullptr, *b_data = nullptr;
    for (int e = 0; e < 16; ++e) {
        if (words[2 * e] == a.hash) a_data = &words[2 * e + 1];
        if (words[2 * e] == b.hash) b_data = &words[2 * e + 1];
    }
    REQUIRE(a_data != nullptr);
    REQUIRE(b_data != nullptr);
    *a_data = *b_data;
    CHECK(t.find(a).found == Found::None);
    CHECK(t.find(b).instance == 2);
    // Nor does an update of `a` write into b's binding.
    t.touch(a, 500);
    t.end(a, 600);
    CHECK(*a_data == *b_data);
}

// With a known seed, keys that share a first bucket in a table of 1,000 sessions are found by
// brute force through the public API: in a table that holds only `a`, a lookup of a key whose
// first slot is a's costs more than one probe.
TEST_CASE("keys searched to share a bucket contend on it and all stay findable", "[sessions]") {
    TableMemory m(1000);
    SessionTable& t = m.table;
    const SessionKey a = key_of(11, 0);
    REQUIRE(t.insert(a, 0, 100, 0) == InsertResult::Inserted);
    std::vector<SessionKey> same{a};
    for (std::size_t n = 1; same.size() < 14 && n < 1'000'000; ++n) {
        SessionKey k = key_of(11, n);
        t.find(k);
        if (SessionTable::last_probes() > 1) same.push_back(k);
    }
    REQUIRE(same.size() == 14);
    // Fourteen keys for one bucket: the first pair of buckets (eight entries) fills, and the
    // rest go to their second pairs, each lookup still within the window.
    for (std::size_t i = 1; i < same.size(); ++i)
        CHECK(t.insert(same[i], static_cast<std::uint16_t>(i), 100, 0) == InsertResult::Inserted);
    for (std::size_t i = 0; i < same.size(); ++i) {
        CHECK(t.find(same[i]).instance == i);
        CHECK(SessionTable::last_probes() <= 16);
    }
    // Eight threads end and insert them again at once: each CAS meets the others' on the same
    // cache lines, and every key ends live on its own instance.
    for (int round = 0; round < 50; ++round) {
        std::vector<std::thread> threads;
        std::atomic<int> go{0};
        for (int th = 0; th < 8; ++th) {
            threads.emplace_back([&, th] {
                while (go.load() == 0) {
                }
                for (std::size_t i = static_cast<std::size_t>(th) % 2; i < same.size(); i += 2) {
                    t.end(same[i], 0);
                    t.insert(same[i], static_cast<std::uint16_t>(i), 100, 0);
                    t.touch(same[i], 100 + static_cast<Seconds>(th));
                }
            });
        }
        go = 1;
        for (auto& th : threads) th.join();
        t.sweep(1, 16);  // the ended markers of the round are gone (deadline 0)
        SweepResult r = t.sweep(1, 16);
        for (std::size_t i = 0; i < same.size(); ++i) {
            Binding b = t.find(same[i]);
            CHECK(b.found == Found::Live);
            CHECK(b.instance == i);
            CHECK(r.per_slot[i].live == 1);
        }
    }
    CHECK(t.stats().overflow == 0);
}

TEST_CASE("an idled-out session leaves an ended marker when the sweep is given one", "[sessions]") {
    TableMemory m(64);
    SessionTable& t = m.table;
    t.insert(key_of(3, 1), 1, 10, 0);   // idle by 20
    t.insert(key_of(3, 2), 1, 100, 0);  // still live
    SweepResult r = t.sweep(20, 4, 30);
    CHECK(r.expired == 1);
    CHECK(r.per_slot[1].expired == 1);
    CHECK(r.per_slot[1].live == 1);
    Binding gone = t.find(key_of(3, 1));
    CHECK(gone.found == Found::Ended);  // its cookie now starts a new session
    CHECK(gone.expires == 50);
    CHECK(t.sweep(40, 4, 30).expired == 0);  // counted once
    CHECK(t.find(key_of(3, 1)).found == Found::Ended);
    t.sweep(51, 4, 30);
    CHECK(t.find(key_of(3, 1)).found == Found::None);  // the marker went at its deadline
}
