#include <atomic>
#include <catch2/catch.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "state/snapshot_slots.hpp"

using zdu::state::SnapshotSlots;

namespace {

std::atomic<int> alive{0};

// A snapshot that knows whether it was destroyed while still in use.
struct Value {
    struct Body {
        explicit Body(int g) : generation(g) { ++alive; }
        ~Body() {
            magic = 0;
            --alive;
        }
        int generation;
        std::atomic<unsigned> magic{0x5eed};
    };
    std::unique_ptr<Body> body;
};

Value make(int generation) {
    return Value{std::make_unique<Value::Body>(generation)};
}

}  // namespace

TEST_CASE("a replaced snapshot lives until its last pin goes", "[state][reload]") {
    SnapshotSlots<Value, 4> slots;
    CHECK(slots.pin() == nullptr);
    REQUIRE(slots.install(make(1)));
    auto* one = slots.pin();
    REQUIRE(one);
    CHECK(one->value.body->generation == 1);

    REQUIRE(slots.install(make(2)));
    CHECK(alive == 2);  // 1 is pinned
    CHECK(one->value.body->generation == 1);
    auto* two = slots.pin();
    CHECK(two->value.body->generation == 2);
    slots.release(one);
    CHECK(alive == 1);  // 1 went with its last pin
    slots.release(two);
    CHECK(alive == 1);  // 2 is current

    SECTION("an unpinned snapshot goes at once when replaced") {
        REQUIRE(slots.install(make(3)));
        CHECK(alive == 1);
        CHECK(slots.current()->value.body->generation == 3);
    }
    SECTION("installs are refused while every other slot is pinned") {
        std::vector<SnapshotSlots<Value, 4>::Slot*> held;
        for (int g = 3; g <= 5; ++g) {
            held.push_back(slots.pin());
            REQUIRE(slots.install(make(g)));
        }
        Value extra = make(6);
        CHECK_FALSE(slots.has_free_slot());
        CHECK_FALSE(slots.install(std::move(extra)));
        CHECK(extra.body);  // untouched: the caller still owns it
        for (auto* h : held) slots.release(h);
        CHECK(slots.has_free_slot());
        CHECK(slots.install(std::move(extra)));
    }
    slots.reset();
    CHECK(alive == 0);
}

namespace {

// Readers pin and check while one thread installs; true when no reader saw a destroyed one.
template <std::size_t N>
void race_readers_with_installs(int min_installs) {
    SnapshotSlots<Value, N> slots;
    REQUIRE(slots.install(make(0)));
    std::atomic<bool> stop{false};
    std::atomic<long> bad{0}, reads{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t) {
        readers.emplace_back([&] {
            while (!stop.load()) {
                auto* s = slots.pin();
                if (s->value.body->magic.load() != 0x5eed) ++bad;
                ++reads;
                slots.release(s);
            }
        });
    }
    int installed = 0;
    // Until the readers have raced with the installs a while (bounded: a loaded machine may
    // start them late).
    for (int g = 1; g <= min_installs || (reads < min_installs && g < 20000000); ++g)
        installed += slots.install(make(g)) ? 1 : 0;
    stop = true;
    for (auto& t : readers) t.join();
    CHECK(bad == 0);
    CHECK(installed > 0);
    CHECK(reads > 0);
    CHECK(alive == 1);  // only the current one is left
    slots.reset();
    CHECK(alive == 0);
}

}  // namespace

TEST_CASE("readers never see a destroyed snapshot while installs go on", "[state][reload]") {
    race_readers_with_installs<8>(20000);
}

// Three slots: every install reuses a slot a reader may have just let go of, the interleaving
// where a late releaser could destroy the reused slot's next snapshot under a new reader.
TEST_CASE("a slot reused at once is not destroyed by a late releaser", "[state][reload]") {
    race_readers_with_installs<3>(1000000);
}
