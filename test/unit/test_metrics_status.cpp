// Response times and the drain estimate: kept in the shared record, read into StatusData and
// written into the status JSON.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <vector>

#include "manager/answers.hpp"
#include "manager/status.hpp"
#include "metrics/response_times.hpp"
#include "metrics/session_end_rate.hpp"
#include "state/record_keys.hpp"
#include "state/shared_records.hpp"
#include "state/state_carry.hpp"

using namespace zdu;
using namespace std::chrono_literals;

TEST_CASE("answer times keep count, sum, max and min", "[metrics]") {
    state::SharedRecord r{};
    CHECK(metrics::answer_times(r).min_us == 0);
    metrics::note_answer_time(r, 3000);
    metrics::note_answer_time(r, 1000);
    metrics::note_answer_time(r, 8000);
    metrics::AnswerTimes t = metrics::answer_times(r);
    CHECK(t.count == 3);
    CHECK(t.total_us == 12000);
    CHECK(t.max_us == 8000);
    CHECK(t.min_us == 1000);
    CHECK(metrics::average_us(t) == 4000);
    CHECK(metrics::average_us({}) == 0);
    // A request under a microsecond still counts as the shortest.
    metrics::note_answer_time(r, 0);
    CHECK(metrics::answer_times(r).min_us == 1);
}

TEST_CASE("answer times from several threads lose no sample", "[metrics]") {
    state::SharedRecord r{};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&r, t] {
            for (std::uint64_t i = 1; i <= 10000; ++i) metrics::note_answer_time(r, i + t);
        });
    }
    for (auto& t : threads) t.join();
    metrics::AnswerTimes times = metrics::answer_times(r);
    CHECK(times.count == 40000);
    CHECK(times.max_us == 10003);
    CHECK(times.min_us == 1);
    CHECK(times.total_us == 4 * (10000ull * 10001 / 2) + 10000ull * (0 + 1 + 2 + 3));
}

TEST_CASE("the session-end rate is smoothed per second", "[metrics][lifecycle]") {
    // The first sample only sets the base.
    metrics::EndRate r = metrics::next_end_rate({}, 100, 1'000'000);
    CHECK(r.rate_micro == 0);
    CHECK(r.total == 100);
    // 10 sessions in 10 s is 1/s; weight 10 / 70 from 0.
    r = metrics::next_end_rate(r, 110, 1'010'000);
    CHECK(r.rate_micro == 142857);
    // Steady at 1/s, it converges on 1000.
    for (int i = 0; i < 100; ++i) r = metrics::next_end_rate(r, r.total + 10, r.at_ms + 10'000);
    CHECK(r.rate_micro == Approx(1'000'000).margin(10));
    // Nothing ends: it decays.
    const std::uint64_t before = r.rate_micro;
    r = metrics::next_end_rate(r, r.total, r.at_ms + 60'000);
    CHECK(r.rate_micro == Approx(before / 2.0).margin(1));
    // A counter that went back (a new block) restarts from there, keeping the rate.
    metrics::EndRate restarted = metrics::next_end_rate(r, 3, r.at_ms + 10'000);
    CHECK(restarted.total == 3);
    CHECK(restarted.rate_micro == r.rate_micro);
}

TEST_CASE("the sweep's sample reads ended plus expired from the record", "[metrics][lifecycle]") {
    state::SharedRecord rec{};
    rec.sessions_ended = 5;
    rec.sessions_expired = 5;
    metrics::sample_end_rate(rec, 1000);
    CHECK(rec.end_rate_total == 10);
    CHECK(rec.end_rate_at_ms == 1000);
    rec.sessions_ended = 65;  // 60 more in 60 s: a sample of 1/s at weight 1/2
    metrics::sample_end_rate(rec, 61000);
    CHECK(rec.end_rate_micro == 500'000);
}

TEST_CASE("the drain estimate is sessions over the rate, rounded up", "[metrics][lifecycle]") {
    CHECK(metrics::drain_estimate_s(0, 0) == std::optional<std::uint64_t>(0));
    CHECK_FALSE(metrics::drain_estimate_s(10, 0).has_value());
    CHECK(metrics::drain_estimate_s(10, 1'000'000) == std::optional<std::uint64_t>(10));
    CHECK(metrics::drain_estimate_s(10, 3'000'000) == std::optional<std::uint64_t>(4));
    CHECK(metrics::drain_estimate_s(1, 250'000) == std::optional<std::uint64_t>(4));
}

TEST_CASE("status reads response times and reports a drain estimate only while draining",
          "[metrics][manager]") {
    config::Instance inst;
    inst.name = "i1";
    state::SharedRecord record{};
    metrics::note_answer_time(record, 1500);
    metrics::note_answer_time(record, 4500);
    record.live_sessions = 8;
    record.untracked_sessions = 2;
    record.end_rate_micro = 500'000;  // one every two seconds

    manager::InstanceStatus s = manager::read_status(inst, "r1", record);
    CHECK(s.answered == 2);
    CHECK(manager::average_answer_us(s) == 3000);
    CHECK(s.answer_max_us == 4500);
    CHECK_FALSE(manager::drain_estimate_s(s).has_value());
    manager::ClusterStatus cluster;
    cluster.name = "c1";
    cluster.instances = {s};
    std::string json = manager::status_answer({}, {cluster}, {}, 0us);
    CHECK_THAT(json, Catch::Contains(R"("drain_estimate_s":null,"avg_response_ms":3.000,)"
                                     R"("max_response_ms":4.500,)"));

    cluster.instances[0].state = lifecycle::Reported::Draining;
    CHECK(manager::drain_estimate_s(cluster.instances[0]) == std::optional<std::uint64_t>(20));
    json = manager::status_answer({}, {cluster}, {}, 0us);
    CHECK_THAT(json, Catch::Contains(R"("drain_estimate_s":20,)"));

    cluster.instances[0].end_rate_micro = 0;  // nothing ended lately: unknown
    json = manager::status_answer({}, {cluster}, {}, 0us);
    CHECK_THAT(json, Catch::Contains(R"("drain_estimate_s":null,)"));
}

TEST_CASE("web-module status reads its own counters", "[metrics][manager]") {
    config::WebModule wm;
    wm.context_root = "/app";
    state::SharedRecord record{};
    record.requests = 9;
    record.failures = 2;
    record.failovers = 1;
    metrics::note_answer_time(record, 700);
    manager::WebModuleStatus s = manager::read_web_module_status(wm, record);
    CHECK(s.context_root == "/app");
    CHECK(s.requests == 9);
    CHECK(s.failures == 2);
    CHECK(s.failovers == 1);
    CHECK(s.answered == 1);
    CHECK(s.answer_min_us == 700);
    CHECK(s.answer_max_us == 700);
}

TEST_CASE("a larger block carries the response times and the session-end rate",
          "[metrics][state]") {
    std::vector<std::uint64_t> small(state::SharedTable::bytes_for(8) / 8);
    std::vector<std::uint64_t> large(state::SharedTable::bytes_for(64) / 8);
    state::SharedTable from = state::SharedTable::create(small.data(), 8);
    state::SharedTable to = state::SharedTable::create(large.data(), 64);
    state::SharedRecord& r = *from.claim(state::instance_key("c", "i"));
    metrics::note_answer_time(r, 200);
    metrics::note_answer_time(r, 900);
    r.end_rate_micro = 1234;
    r.end_rate_total = 17;
    r.end_rate_at_ms = 99;
    REQUIRE(state::copy_records(from, to) == 0);
    const state::SharedRecord& t = *to.find(state::instance_key("c", "i"));
    metrics::AnswerTimes times = metrics::answer_times(t);
    CHECK(times.count == 2);
    CHECK(times.total_us == 1100);
    CHECK(times.max_us == 900);
    CHECK(times.min_us == 200);
    CHECK(t.end_rate_micro == 1234);
    CHECK(t.end_rate_total == 17);
    CHECK(t.end_rate_at_ms == 99);
}
