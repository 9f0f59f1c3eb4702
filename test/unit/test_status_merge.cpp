// lbxml-gen status: front-ends' status JSON read and merged into one view per instance.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "status_merge.hpp"

using namespace lbxml_gen;

namespace {

// A status answer as the manager writes it, with one cluster of two instances.
std::string status_json(const std::string& hash, int a1_sessions, const std::string& a1_state,
                        const std::string& extra = "") {
    return R"({"ok":true,"command":"status","config_hash":")" + hash +
           R"(","generation":3,"clusters":[{"name":"c1","active_version":"2.0","canary":null,)"
           R"("instances":[{"name":"a1","version":"1.0","weight":100,"healthy":true,"state":")" +
           a1_state + R"(","live_sessions":)" + std::to_string(a1_sessions) +
           R"(,"counters":{"requests":10,"failures":1,"failovers":2,"responses_5xx":3})" + extra +
           R"(},{"name":"b1","version":"2.0","weight":50,"healthy":false,"state":"active",)"
           R"("live_sessions":4,"counters":{"requests":5,"failures":0,"failovers":0}}]}]})";
}

std::vector<FrontEndReading> two_front_ends(const std::string& second_hash = "aa") {
    return {
        read_front_end_status("http://fe1/zdu-manager", status_json("aa", 3, "draining")),
        read_front_end_status("http://fe2/zdu-manager", status_json(second_hash, 2, "draining"))};
}

}  // namespace

TEST_CASE("status merge reads a manager status answer") {
    const auto r = read_front_end_status("u", status_json("ab12", 7, "active"));
    REQUIRE(r.read);
    CHECK(r.config_hash == "ab12");
    CHECK(r.generation == 3);
    REQUIRE(r.clusters.size() == 1);
    CHECK(*r.clusters[0].active_version == "2.0");
    REQUIRE(r.clusters[0].instances.size() == 2);
    const auto& a1 = r.clusters[0].instances[0];
    CHECK(a1.live_sessions == 7);
    CHECK(a1.requests == 10);
    CHECK(a1.failovers == 2);
    CHECK(a1.responses_5xx == 3);
    CHECK(r.clusters[0].instances[1].responses_5xx == 0);  // not sent: an older module
    CHECK_FALSE(a1.avg_response_ms.has_value());
    CHECK_FALSE(r.clusters[0].instances[1].healthy);
}

TEST_CASE("status merge refuses an answer that is not a status document") {
    CHECK_FALSE(read_front_end_status("u", "<html>").read);
    const auto refused = read_front_end_status("u", R"({"ok":false,"error":"forbidden"})");
    CHECK_FALSE(refused.read);
    CHECK(refused.error.find("forbidden") != std::string::npos);
}

TEST_CASE("status merge sums sessions and counters over front-ends that track their own") {
    const auto m = merge_status(two_front_ends(), SessionCount::PerFrontEnd);
    const auto* a1 = find_merged(m, "c1", "a1");
    REQUIRE(a1);
    CHECK(a1->live_sessions == 5);
    CHECK(a1->requests == 20);
    CHECK(a1->failures == 2);
    CHECK(a1->failovers == 4);
    CHECK(a1->responses_5xx == 6);
    CHECK(format_status_json(m).find(R"("failovers":4,"responses_5xx":6,)") != std::string::npos);
    CHECK(a1->front_ends == 2);
    CHECK(a1->state == "draining");
    CHECK_FALSE(a1->drained_everywhere);
    CHECK(find_merged(m, "c1", "b1")->unhealthy_on == 2);
    CHECK_FALSE(m.mixed_hashes);
}

TEST_CASE("status merge does not sum a session count shared by every front-end") {
    const auto m = merge_status(two_front_ends(), SessionCount::Shared);
    CHECK(find_merged(m, "c1", "a1")->live_sessions == 3);
    CHECK(find_merged(m, "c1", "a1")->requests == 20);  // requests are per front-end still
}

TEST_CASE("status merge flags the front-end whose config hash differs") {
    auto readings = two_front_ends("bb");
    readings.push_back(
        read_front_end_status("http://fe3/zdu-manager", status_json("aa", 0, "drained")));
    const auto m = merge_status(readings, SessionCount::PerFrontEnd);
    CHECK(m.mixed_hashes);
    CHECK_FALSE(m.front_ends[0].hash_differs);
    CHECK(m.front_ends[1].hash_differs);
    CHECK_FALSE(m.front_ends[2].hash_differs);
    CHECK(find_merged(m, "c1", "a1")->state == "draining/drained");
    const std::string table = format_status_table(m);
    CHECK(table.find("MIXED") != std::string::npos);
}

TEST_CASE("status merge is drained only when every front-end says so") {
    const std::vector<FrontEndReading> readings{
        read_front_end_status("1", status_json("aa", 0, "drained")),
        read_front_end_status("2", status_json("aa", 0, "stopped"))};
    CHECK(find_merged(merge_status(readings, SessionCount::PerFrontEnd), "c1", "a1")
              ->drained_everywhere);
}

TEST_CASE("status merge keeps an unread front-end and says why") {
    auto readings = two_front_ends();
    FrontEndReading down;
    down.url = "http://fe3/zdu-manager";
    down.error = "connection refused";
    readings.push_back(down);
    const auto m = merge_status(readings, SessionCount::PerFrontEnd);
    CHECK_FALSE(m.all_read);
    CHECK(find_merged(m, "c1", "a1")->live_sessions == 5);
    const std::string table = format_status_table(m);
    CHECK(table.find("http://fe3/zdu-manager: NOT READ: connection refused") != std::string::npos);
    CHECK(format_status_json(m).find("\"all_read\":false") != std::string::npos);
}

TEST_CASE("status merge prints absent timing fields as a dash and present ones merged") {
    auto m = merge_status(two_front_ends(), SessionCount::PerFrontEnd);
    CHECK(format_status_table(m).find(" - ") != std::string::npos);
    const std::vector<FrontEndReading> timed{
        read_front_end_status(
            "1",
            status_json("aa", 1, "draining",
                        R"(,"avg_response_ms":10,"max_response_ms":40,"drain_estimate_s":30)")),
        read_front_end_status(
            "2",
            status_json("aa", 1, "draining",
                        R"(,"avg_response_ms":20,"max_response_ms":90,"drain_estimate_s":null)"))};
    m = merge_status(timed, SessionCount::PerFrontEnd);
    const auto* a1 = find_merged(m, "c1", "a1");
    CHECK(*a1->avg_response_ms == Approx(15.0));  // both had 10 requests
    CHECK(*a1->max_response_ms == Approx(90.0));
    CHECK(*a1->drain_estimate_s == Approx(30.0));
    CHECK(format_status_json(m).find("\"drain_estimate_s\":30.000") != std::string::npos);
}
