#include <catch2/catch.hpp>

#include "health/check_round.hpp"
#include "health/check_schedule.hpp"

using namespace zdu::health;
using Kind = Verdict::Kind;

TEST_CASE("a round pings unhealthy instances, healthy ones only with active checks",
          "[health][round]") {
    const CheckPolicy passive{false, 3};
    const CheckPolicy active{true, 3};
    CHECK(should_ping(passive, false, false));
    CHECK_FALSE(should_ping(passive, true, false));
    CHECK(should_ping(active, true, false));
    CHECK(should_ping(active, false, false));
    SECTION("never while the previous ping runs") {
        CHECK_FALSE(should_ping(passive, false, true));
        CHECK_FALSE(should_ping(active, true, true));
    }
}

TEST_CASE("an unhealthy instance that answers is back", "[health][round]") {
    const CheckPolicy policy{false, 3};
    Verdict v = judge(policy, false, 5, true);
    CHECK(v.kind == Kind::Recovered);
    CHECK(v.failures == 0);
    v = judge(policy, false, 5, false);
    CHECK(v.kind == Kind::StillDown);
    CHECK(v.failures == 6);
}

TEST_CASE("a healthy instance goes out after `retries` failures in a row", "[health][round]") {
    const CheckPolicy policy{true, 3};
    std::uint32_t failures = 0;
    Verdict v = judge(policy, true, failures, false);
    CHECK(v.kind == Kind::Failing);
    v = judge(policy, true, v.failures, false);
    CHECK(v.kind == Kind::Failing);
    CHECK(v.failures == 2);
    v = judge(policy, true, v.failures, false);
    CHECK(v.kind == Kind::Failed);
    CHECK(v.failures == 3);
}

TEST_CASE("a success in between starts the count again", "[health][round]") {
    const CheckPolicy policy{true, 2};
    Verdict v = judge(policy, true, 0, false);
    CHECK(v.kind == Kind::Failing);
    v = judge(policy, true, v.failures, true);
    CHECK(v.kind == Kind::StillHealthy);
    CHECK(v.failures == 0);
    v = judge(policy, true, v.failures, false);
    CHECK(v.kind == Kind::Failing);
    CHECK(judge(policy, true, v.failures, false).kind == Kind::Failed);
}

TEST_CASE("one retry (or a nonsensical 0) means the first failure counts", "[health][round]") {
    CHECK(judge(CheckPolicy{true, 1}, true, 0, false).kind == Kind::Failed);
    CHECK(judge(CheckPolicy{true, 0}, true, 0, false).kind == Kind::Failed);
}

TEST_CASE("the failure count does not wrap", "[health][round]") {
    const std::uint32_t most = 0xffffffffu;
    CHECK(judge(CheckPolicy{}, false, most, false).failures == most);
}

TEST_CASE("rounds come once per interval", "[health][schedule]") {
    CheckSchedule s(1000);
    CHECK(s.due(5000));  // the first round starts at once
    CHECK_FALSE(s.due(5500));
    CHECK(s.due(6000));
    CHECK_FALSE(s.due(6999));
    CHECK(s.due(7050));  // a tick late: the next stays on the grid
    CHECK_FALSE(s.due(7999));
    CHECK(s.due(8000));
}

TEST_CASE("a late round does not bring a burst of catch-up rounds", "[health][schedule]") {
    CheckSchedule s(1000);
    CHECK(s.due(0));
    CHECK(s.due(5300));
    CHECK_FALSE(s.due(5400));
    CHECK_FALSE(s.due(6299));
    CHECK(s.due(6300));
}
