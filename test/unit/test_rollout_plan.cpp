// lbxml-gen rollout's plan, state file and canary error rate, without a front-end.
#include <catch2/catch.hpp>
#include <string>

#include "rollout_plan.hpp"

using namespace lbxml_gen;

namespace {

RolloutParams params() {
    RolloutParams p;
    p.lb_name = "lb1";
    p.cluster = "c1";
    p.from_version = "1.0";
    p.to_version = "2.0";
    p.add = {{"b1", "http://10.0.0.5:8080"}};
    p.canary_percents = {10, 50};
    p.pause_s = 2.5;
    p.max_error_rate = 0.02;
    p.on_stop_old = "systemctl stop 'app v1'";
    p.remove_old = true;
    return p;
}

}  // namespace

TEST_CASE("rollout plan has a step per canary percent between start and activate") {
    const auto steps = plan_steps(params());
    REQUIRE(steps.size() == 6);
    CHECK(step_name(steps[0]) == "start-new");
    CHECK(step_name(steps[1]) == "canary-10");
    CHECK(step_name(steps[2]) == "canary-50");
    CHECK(step_name(steps[3]) == "activate");
    CHECK(step_name(steps[4]) == "drain");
    CHECK(step_name(steps[5]) == "retire");
    RolloutParams plain = params();
    plain.canary_percents.clear();
    CHECK(plan_steps(plain).size() == 4);
    const std::string plan = format_plan(params());
    CHECK(plan.find("add b1 (http://10.0.0.5:8080)") != std::string::npos);
    CHECK(plan.find("disable and remove the 1.0 instances") != std::string::npos);
    CHECK(format_plan(params(), 4).find("canary") == std::string::npos);
}

TEST_CASE("rollout state file keeps the parameters and the next step") {
    RolloutState s{params(), 3, true};
    std::string why;
    const auto back = read_rollout_state(write_rollout_state(s), why);
    REQUIRE(back);
    CHECK(back->next_step == 3);
    CHECK(back->canary_used);
    CHECK(back->params.lb_name == "lb1");
    CHECK(back->params.add.size() == 1);
    CHECK(back->params.add[0].listener == "http://10.0.0.5:8080");
    CHECK(back->params.canary_percents == std::vector<int>{10, 50});
    CHECK(back->params.pause_s == Approx(2.5));
    CHECK(back->params.max_error_rate == Approx(0.02));
    CHECK(back->params.on_stop_old == "systemctl stop 'app v1'");
    CHECK(back->params.remove_old);
    CHECK(write_rollout_state(s).find("\"step\":\"activate\"") != std::string::npos);
}

TEST_CASE("rollout state file refuses other content") {
    std::string why;
    CHECK_FALSE(read_rollout_state("not json", why));
    CHECK_FALSE(read_rollout_state(R"({"format":2,"lb_name":"lb1"})", why));
    CHECK_FALSE(read_rollout_state(R"({"format":1,"lb_name":"lb1"})", why));
    CHECK(why.find("incomplete") != std::string::npos);
}

TEST_CASE("rollout parses --add and --canary and names a bad part") {
    std::string why;
    const auto add = parse_new_instances("b1=http://h:1,b2=http://h:2", why);
    REQUIRE(add);
    CHECK((*add)[1].name == "b2");
    CHECK_FALSE(parse_new_instances("b1", why));
    CHECK(why.find("'b1'") != std::string::npos);
    CHECK(*parse_percents("5,25,50", why) == std::vector<int>{5, 25, 50});
    CHECK_FALSE(parse_percents("50,25", why));
    CHECK_FALSE(parse_percents("100", why));
    CHECK_FALSE(parse_percents("10x", why));
}

TEST_CASE("rollout error rate is failures over requests between two reads") {
    CHECK_FALSE(error_rate({10, 1}, {10, 1}));  // no traffic: no evidence
    CHECK(*error_rate({10, 1}, {30, 6}) == Approx(0.25));
    CHECK(*error_rate({100, 10}, {4, 1}) == Approx(0.25));  // counters restarted
}

TEST_CASE("rollout error rate counts the 5xx the canary answered with the proxy's failures") {
    // No failure the proxy saw, but 5 of 20 requests answered 500: a failing canary all the same.
    CHECK(*error_rate({10, 0, 0}, {30, 0, 5}) == Approx(0.25));
    CHECK(*error_rate({10, 1, 2}, {30, 3, 7}) == Approx(0.35));
    CHECK_FALSE(error_rate({10, 1, 2}, {10, 1, 9}));  // no request: no evidence
    // Only the 5xx count went down: a front-end restarted, so everything counts from 0.
    CHECK(*error_rate({40, 0, 8}, {50, 0, 5}) == Approx(0.1));
}

TEST_CASE("rollout error rate: a front-end that restarted counts from 0 on its own") {
    using lbxml_gen::TrafficCounts;
    // fe1 restarted (1,000 requests and 10 5xx before, 20 requests since); fe2 went on with
    // 1,010 requests and 15 5xx. Summed over front-ends, the totals still rise (6,000 -> 6,030
    // requests, 60 -> 65 5xx) and would read as 5 errors in 30 requests.
    const TrafficCounts before = {{"https://fe1 i3", {1000, 0, 10}},
                                  {"https://fe2 i3", {5000, 0, 50}}};
    const TrafficCounts after = {{"https://fe1 i3", {20, 0, 0}}, {"https://fe2 i3", {6010, 0, 65}}};
    CHECK(*error_rate_by_front_end(before, after) == Approx(15.0 / 1030.0));
    // An instance or front-end new since the first read counts from 0.
    const TrafficCounts grown = {{"https://fe1 i3", {1010, 0, 10}}, {"https://fe3 i3", {10, 1, 0}}};
    CHECK(*error_rate_by_front_end(before, grown) == Approx(1.0 / 20.0));
    CHECK_FALSE(error_rate_by_front_end(before, before));  // no request: no evidence
}

TEST_CASE("rollout progress bar shows what is left and the estimate") {
    CHECK(progress_bar(5, 10, std::nullopt, 10) == "[#####.....] 5 sessions left");
    CHECK(progress_bar(1, 10, 12.2, 10) == "[#########.] 1 session left, about 13 s");
    CHECK(progress_bar(0, 0, std::nullopt, 4) == "[####] 0 sessions left");
}

TEST_CASE("rollout resume command quotes the description") {
    CHECK(resume_command("/tmp/a b.xml") ==
          "lbxml-gen rollout --description '/tmp/a b.xml' --resume");
    CHECK(resume_command("/tmp/c.xml") == "lbxml-gen rollout --description /tmp/c.xml --resume");
}
