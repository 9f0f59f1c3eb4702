// Many threads at once on the core's lock-free parts: the session table (owners, contended keys
// and a sweeper), the shared records (claims and counters) and the snapshot slots (readers
// pinning while an installer replaces). Built with ThreadSanitizer by scripts/sanitize.sh, so a
// data race is a report even where the assertions below cannot see it. Catch2's assertions are
// not thread-safe: the threads count what they saw wrong and the main thread checks the counts.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sessions/session_table.hpp"
#include "state/shared_records.hpp"
#include "state/snapshot_slots.hpp"

using namespace zdu;
using sessions::Binding;
using sessions::Found;
using sessions::Seconds;
using sessions::SessionKey;
using sessions::SessionTable;

namespace {

constexpr int kThreads = 16;  // on two cores: the scheduler interleaves them at random points

int scale() {
    const char* s = std::getenv("ZDU_STRESS_SCALE");
    const int v = s ? std::atoi(s) : 1;
    return v > 0 ? v : 1;
}

// Lets every thread start its loop at the same moment.
class StartLine {
  public:
    explicit StartLine(int n) : n_(n) {}
    void arrive() {
        ready_.fetch_add(1);
        while (ready_.load() < n_) std::this_thread::yield();
    }

  private:
    const int n_;
    std::atomic<int> ready_{0};
};

template <class Body>
void run_threads(int n, Body body) {
    StartLine start(n);
    std::vector<std::thread> threads;
    for (int t = 0; t < n; ++t) {
        threads.emplace_back([&, t] {
            start.arrive();
            body(t);
        });
    }
    for (auto& th : threads) th.join();
}

struct TableMemory {
    explicit TableMemory(std::size_t sessions)
        : raw(static_cast<unsigned char*>(
              std::aligned_alloc(64, (SessionTable::bytes_for(sessions) + 63) / 64 * 64))),
          table(SessionTable::create(raw.get(), sessions)) {}
    struct Free {
        void operator()(unsigned char* p) const { std::free(p); }
    };
    std::unique_ptr<unsigned char, Free> raw;
    SessionTable table;
};

constexpr std::uint64_t kSeed = 0x5eed;
constexpr int kOwnKeys = 32;
constexpr int kSharedKeys = 64;
constexpr Seconds kSweepNow = 50;

SessionKey own_key(int thread, int i) {
    return sessions::session_key(kSeed, static_cast<std::uint64_t>(thread) + 1,
                                 "own-" + std::to_string(i));
}
SessionKey shared_key(int i) {
    return sessions::session_key(kSeed, 0, "shared-" + std::to_string(i));
}
// A shared key's binding is a function of the key, so a reader handed another key's data sees
// it. Instances from 100 up: the sweep's per-slot counts (slots below kThreads) ignore them.
std::uint16_t shared_instance(SessionKey k) {
    return static_cast<std::uint16_t>(100 + k.hash % 50);
}
Seconds shared_expires(SessionKey k) {
    return static_cast<Seconds>(20 + k.hash % 60);  // some idle out under the sweeper's clock
}

// What one thread knows of its own keys (nobody else writes them).
struct Own {
    enum State { Absent, Live, Ended } state = Absent;
    Seconds expires = 0;
};

}  // namespace

TEST_CASE("session table: owners, contended keys and a sweeper at once", "[stress][sessions]") {
    TableMemory m(1024);
    SessionTable& t = m.table;
    const int ops = 20000 * scale();
    std::atomic<std::uint64_t> own_wrong{0}, shared_wrong{0}, sweeps{0}, sweep_wrong{0};
    std::atomic<int> owners_left{kThreads};
    std::atomic<bool> done{false};
    std::vector<std::vector<Own>> owns(kThreads, std::vector<Own>(kOwnKeys));

    run_threads(kThreads + 1, [&](int th) {
        if (th == kThreads) {  // the sweeper, as the module's maintenance thread runs it
            while (!done.load()) {
                const auto r = t.sweep(kSweepNow, kThreads);
                if (r.used > t.stats().capacity) ++sweep_wrong;
                ++sweeps;
            }
            return;
        }
        // The sweeper is running before the owners start.
        while (sweeps.load() == 0) std::this_thread::yield();
        std::mt19937_64 rng(static_cast<std::uint64_t>(th));
        auto& own = owns[th];
        for (int op = 0; op < ops; ++op) {
            if (rng() % 2) {
                const int i = static_cast<int>(rng() % kOwnKeys);
                const SessionKey k = own_key(th, i);
                Own& o = own[i];
                const auto th16 = static_cast<std::uint16_t>(th);
                switch (rng() % 3) {
                    case 0:  // returning sessions are never evicted, so this one must stay
                        o.expires = static_cast<Seconds>(1'000'000 + rng() % 1000);
                        if (t.insert(k, th16, o.expires, sessions::kReturning) ==
                            sessions::InsertResult::Full) {
                            ++own_wrong;
                        }
                        o.state = Own::Live;
                        break;
                    case 1:
                        if (o.state == Own::Live) o.expires += 1;
                        t.touch(k, o.expires);
                        break;
                    default:
                        o.expires = static_cast<Seconds>(1'000'000 + rng() % 1000);
                        t.end(k, o.expires);
                        o.state = Own::Ended;
                }
                const Binding b = t.find(k);
                const bool ok =
                    o.state == Own::Live
                        ? b.found == Found::Live && b.instance == th16 && b.expires == o.expires
                        // A marker may be pushed out by another key's insert, or never placed.
                        : b.found != Found::Live;
                if (!ok) ++own_wrong;
            } else {
                const SessionKey k = shared_key(static_cast<int>(rng() % kSharedKeys));
                switch (rng() % 4) {
                    case 0:
                        t.insert(k, shared_instance(k), shared_expires(k), 0);
                        break;
                    case 1:
                        t.touch(k, shared_expires(k) + 1000);
                        break;
                    case 2:
                        t.end(k, shared_expires(k));
                        break;
                    default: {
                        const Binding b = t.find(k);
                        if (b.found == Found::None) break;
                        // Live: inserted or touched; Ended: a marker of this key's own.
                        const bool ok = (b.instance == shared_instance(k) || b.instance == 0) &&
                                        (b.expires == shared_expires(k) ||
                                         b.expires == shared_expires(k) + 1000);
                        if (!ok) ++shared_wrong;
                    }
                }
            }
        }
        if (owners_left.fetch_sub(1) == 1) done = true;  // the last owner stops the sweeper
    });
    CHECK(own_wrong.load() == 0);
    CHECK(shared_wrong.load() == 0);
    CHECK(sweep_wrong.load() == 0);
    CHECK(sweeps.load() > 0);

    // At rest: every owner's live sessions are there, bound to it, and counted once each.
    const auto r = t.sweep(kSweepNow, kThreads);
    for (int th = 0; th < kThreads; ++th) {
        std::uint32_t live = 0;
        for (int i = 0; i < kOwnKeys; ++i) {
            if (owns[th][i].state != Own::Live) continue;
            ++live;
            const Binding b = t.find(own_key(th, i));
            CHECK(b.found == Found::Live);
            CHECK(b.instance == th);
            CHECK(b.expires == owns[th][i].expires);
        }
        CHECK(r.per_slot[th].live == live);
        CHECK(r.per_slot[th].untracked == 0);
    }
}

TEST_CASE("shared records: claims and counters from many threads", "[stress][state]") {
    constexpr std::size_t kCapacity = 128;
    constexpr std::uint64_t kKeys = 97;  // more than half full: long probe runs collide
    const int ops = 20000 * scale();
    std::vector<std::uint64_t> memory(state::SharedTable::bytes_for(kCapacity) / 8 + 1);
    auto table = state::SharedTable::create(memory.data(), kCapacity);
    // Which record each thread was given for each key: all must agree.
    std::vector<std::vector<state::SharedRecord*>> seen(
        kThreads, std::vector<state::SharedRecord*>(kKeys, nullptr));
    std::atomic<std::uint64_t> wrong{0};

    run_threads(kThreads, [&](int th) {
        auto th64 = static_cast<std::uint64_t>(th);
        for (int op = 0; op < ops; ++op) {
            const std::uint64_t k = (th64 * 7 + static_cast<std::uint64_t>(op)) % kKeys;
            state::SharedRecord* r = table.claim(k * kCapacity + 1);  // one home slot for all
            if (!r || (seen[th][k] && seen[th][k] != r)) {
                ++wrong;
                continue;
            }
            seen[th][k] = r;
            r->requests.fetch_add(1, std::memory_order_relaxed);
            r->answer_total_us.fetch_add(th64 + 1, std::memory_order_relaxed);
            // A running maximum, as the response-time records keep one.
            std::uint64_t max = r->answer_max_us.load(std::memory_order_relaxed);
            while (max < th64 &&
                   !r->answer_max_us.compare_exchange_weak(max, th64, std::memory_order_relaxed)) {
            }
            if (table.find(k * kCapacity + 1) != r) ++wrong;
        }
    });
    CHECK(wrong.load() == 0);
    CHECK(table.used() == kKeys);
    // The same sums the threads' sequences give, replayed here.
    std::vector<std::uint64_t> requests(kKeys), total(kKeys), max(kKeys);
    for (std::uint64_t th = 0; th < kThreads; ++th) {
        for (int op = 0; op < ops; ++op) {
            const std::uint64_t k = (th * 7 + static_cast<std::uint64_t>(op)) % kKeys;
            ++requests[k];
            total[k] += th + 1;
            max[k] = std::max(max[k], th);
        }
    }
    for (std::uint64_t k = 0; k < kKeys; ++k) {
        const state::SharedRecord* r = table.find(k * kCapacity + 1);
        REQUIRE(r != nullptr);
        for (int th = 0; th < kThreads; ++th) CHECK(seen[th][k] == r);
        CHECK(r->requests.load() == requests[k]);
        CHECK(r->answer_total_us.load() == total[k]);
        CHECK(r->answer_max_us.load() == max[k]);
    }
}

namespace {

std::atomic<int> alive{0};

// A snapshot that knows whether it was destroyed while still in use.
struct Snapshot {
    struct Body {
        explicit Body(int g) : generation(g) { ++alive; }
        ~Body() {
            magic = 0;
            --alive;
        }
        const int generation;
        std::atomic<unsigned> magic{0x5eed};
    };
    std::unique_ptr<Body> body;
};

}  // namespace

TEST_CASE("snapshot slots: readers pin while an installer replaces", "[stress][state]") {
    state::SnapshotSlots<Snapshot, 2> slots;  // two: a retired slot is the next one reused
    const int generations = 2000 * scale();
    std::atomic<int> installed{0}, newest_pinned{0};
    std::atomic<std::uint64_t> wrong{0}, pins{0}, refused{0};

    run_threads(kThreads, [&](int th) {
        if (th == 0) {  // the one installer (the module's reload)
            for (int g = 1; g <= generations; ++g) {
                while (!slots.install(Snapshot{std::make_unique<Snapshot::Body>(g)})) {
                    ++refused;  // every other slot pinned: readers let go soon
                    std::this_thread::yield();
                }
                // Every 8th waits until a reader has pinned it, so readers meet the installs
                // however the scheduler runs the threads (they run until `installed` says done).
                while (g % 8 == 0 && newest_pinned.load() < g) std::this_thread::yield();
                installed = g;
            }
            return;
        }
        int last = 0;
        while (installed.load() < generations) {
            auto* slot = slots.pin();
            if (!slot) continue;
            ++pins;
            const Snapshot::Body& b = *slot->value.body;
            // Pinned: not destroyed, and never older than what this thread saw before.
            if (b.magic.load() != 0x5eed || b.generation < last) ++wrong;
            last = b.generation;
            int newest = newest_pinned.load();
            while (newest < last && !newest_pinned.compare_exchange_weak(newest, last)) {
            }
            // Some readers hold their pin longer, reading all the while.
            for (int spin = th % 4 == 0 ? 64 : 1; spin > 0; --spin) {
                if (b.magic.load() != 0x5eed || b.generation != last) ++wrong;
            }
            slots.release(slot);
            std::this_thread::yield();  // leaves the installer its turns on a busy machine
        }
    });
    CHECK(wrong.load() == 0);
    CHECK(pins.load() >= static_cast<std::uint64_t>(generations / 8));
    CHECK(alive.load() == 1);  // only the current snapshot is left
    REQUIRE(slots.current() != nullptr);
    CHECK(slots.current()->value.body->generation == generations);
    slots.reset();
    CHECK(alive.load() == 0);
}
