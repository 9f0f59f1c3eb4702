#include <atomic>
#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "lifecycle/drain.hpp"

using zdu::lifecycle::DrainFacts;
using zdu::lifecycle::DrainState;
using zdu::lifecycle::next_state;
using zdu::lifecycle::Reported;
using zdu::lifecycle::reported;
using zdu::lifecycle::reported_name;
using zdu::lifecycle::transition;

namespace {

DrainFacts retiring_empty() {
    DrainFacts f;
    f.retiring = true;
    return f;
}

}  // namespace

TEST_CASE("drain: active stays active unless retiring", "[lifecycle][drain]") {
    DrainFacts f;
    CHECK(next_state(DrainState::Active, f) == DrainState::Active);
    f.live = 3;
    CHECK(next_state(DrainState::Active, f) == DrainState::Active);
    // Even with nothing on it, an active instance passes through draining first.
    CHECK(next_state(DrainState::Active, retiring_empty()) == DrainState::Draining);
    f.retiring = true;
    CHECK(next_state(DrainState::Active, f) == DrainState::Draining);
    f.deadline_passed = true;
    CHECK(next_state(DrainState::Active, f) == DrainState::Draining);
}

TEST_CASE("drain: draining becomes drained only when nothing is left", "[lifecycle][drain]") {
    CHECK(next_state(DrainState::Draining, retiring_empty()) == DrainState::Drained);

    DrainFacts f = retiring_empty();
    f.live = 1;
    CHECK(next_state(DrainState::Draining, f) == DrainState::Draining);
    f = retiring_empty();
    f.untracked = 1;
    CHECK(next_state(DrainState::Draining, f) == DrainState::Draining);
    f = retiring_empty();
    f.in_flight = 1;
    CHECK(next_state(DrainState::Draining, f) == DrainState::Draining);
    f = retiring_empty();
    f.sessions_unknown = true;
    CHECK(next_state(DrainState::Draining, f) == DrainState::Draining);
}

TEST_CASE("drain: the deadline drains by force", "[lifecycle][drain]") {
    DrainFacts f = retiring_empty();
    f.live = 10;
    f.untracked = 2;
    f.in_flight = 4;
    f.sessions_unknown = true;
    CHECK(next_state(DrainState::Draining, f) == DrainState::Draining);
    f.deadline_passed = true;
    CHECK(next_state(DrainState::Draining, f) == DrainState::Drained);
}

TEST_CASE("drain: no longer retiring returns to active", "[lifecycle][drain]") {
    DrainFacts f;
    f.live = 2;
    CHECK(next_state(DrainState::Draining, f) == DrainState::Active);
    CHECK(next_state(DrainState::Draining, DrainFacts{}) == DrainState::Active);
    CHECK(next_state(DrainState::Drained, DrainFacts{}) == DrainState::Active);
    f.deadline_passed = true;
    CHECK(next_state(DrainState::Drained, f) == DrainState::Active);
}

TEST_CASE("drain: drained stays drained while retiring, whatever comes back",
          "[lifecycle][drain]") {
    DrainFacts f = retiring_empty();
    CHECK(next_state(DrainState::Drained, f) == DrainState::Drained);
    f.live = 5;
    f.in_flight = 1;
    f.sessions_unknown = true;
    CHECK(next_state(DrainState::Drained, f) == DrainState::Drained);
}

TEST_CASE("drain: a full upgrade cycle", "[lifecycle][drain]") {
    DrainState s = DrainState::Active;
    DrainFacts f;
    f.live = 2;
    s = next_state(s, f);
    CHECK(s == DrainState::Active);
    f.retiring = true;
    s = next_state(s, f);
    CHECK(s == DrainState::Draining);
    f.live = 1;
    s = next_state(s, f);
    CHECK(s == DrainState::Draining);
    f.live = 0;
    s = next_state(s, f);
    CHECK(s == DrainState::Drained);
    // Re-enabled, then drained again: a second, separate drain.
    f.retiring = false;
    s = next_state(s, f);
    CHECK(s == DrainState::Active);
    f.retiring = true;
    s = next_state(s, f);
    CHECK(s == DrainState::Draining);
    s = next_state(s, f);
    CHECK(s == DrainState::Drained);
}

TEST_CASE("drain: reported state priority", "[lifecycle][drain]") {
    DrainFacts f;
    CHECK(reported(DrainState::Active, f) == Reported::Active);
    CHECK(reported(DrainState::Draining, f) == Reported::Draining);
    CHECK(reported(DrainState::Drained, f) == Reported::Drained);

    f.healthy = false;
    CHECK(reported(DrainState::Active, f) == Reported::Unhealthy);
    CHECK(reported(DrainState::Draining, f) == Reported::Draining);
    CHECK(reported(DrainState::Drained, f) == Reported::Drained);

    f.stopped = true;
    for (auto s : {DrainState::Active, DrainState::Draining, DrainState::Drained}) {
        CHECK(reported(s, f) == Reported::Stopped);
    }
    f.healthy = true;
    CHECK(reported(DrainState::Drained, f) == Reported::Stopped);
}

TEST_CASE("drain: reported names", "[lifecycle][drain]") {
    CHECK(reported_name(Reported::Active) == "active");
    CHECK(reported_name(Reported::Draining) == "draining");
    CHECK(reported_name(Reported::Drained) == "drained");
    CHECK(reported_name(Reported::Stopped) == "stopped");
    CHECK(reported_name(Reported::Unhealthy) == "unhealthy");
}

TEST_CASE("drain: transition moves only from the expected state", "[lifecycle][drain]") {
    std::atomic<std::uint32_t> state{static_cast<std::uint32_t>(DrainState::Active)};
    CHECK_FALSE(transition(state, DrainState::Draining, DrainState::Drained));
    CHECK(state.load() == static_cast<std::uint32_t>(DrainState::Active));
    CHECK(transition(state, DrainState::Active, DrainState::Draining));
    CHECK(state.load() == static_cast<std::uint32_t>(DrainState::Draining));
    CHECK_FALSE(transition(state, DrainState::Active, DrainState::Draining));
    CHECK(transition(state, DrainState::Draining, DrainState::Drained));
    CHECK(state.load() == static_cast<std::uint32_t>(DrainState::Drained));
}

TEST_CASE("drain: transition has exactly one winner among 8 threads", "[lifecycle][drain]") {
    for (int round = 0; round < 100; ++round) {
        std::atomic<std::uint32_t> state{static_cast<std::uint32_t>(DrainState::Draining)};
        std::atomic<int> ready{0};
        std::atomic<int> winners{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&] {
                ready.fetch_add(1);
                // All start together so the compare-and-swaps really race.
                while (ready.load() < 8) std::this_thread::yield();
                if (transition(state, DrainState::Draining, DrainState::Drained)) {
                    winners.fetch_add(1);
                }
            });
        }
        for (auto& th : threads) th.join();
        REQUIRE(winners.load() == 1);
        REQUIRE(state.load() == static_cast<std::uint32_t>(DrainState::Drained));
    }
}
