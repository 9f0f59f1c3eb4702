#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "manager/admin.hpp"
#include "manager/answers.hpp"
#include "manager/command.hpp"
#include "manager/status.hpp"
#include "state/instance_health.hpp"
#include "state/shared_records.hpp"

using namespace zdu;
using namespace std::chrono_literals;
using state::AdminState;

namespace {

manager::ClusterStatus cluster_of(const manager::InstanceStatus& s, int used, int total) {
    manager::ClusterStatus c;
    c.name = "c1";
    c.policy = "round-robin";
    c.instances = {s};
    c.workers_used = used;
    c.workers_total = total;
    return c;
}

}  // namespace

TEST_CASE("errors and proxy pings are JSON objects with ok, command and ms", "[manager]") {
    CHECK(manager::error_answer("", 403, "no \"secret\"\n", 0us) ==
          R"({"ok":false,"command":null,"status":403,"error":"no \"secret\"\n","ms":0.000})");
    CHECK(manager::error_answer("stop-domain", 404, "x", 1500us) ==
          R"({"ok":false,"command":"stop-domain","status":404,"error":"x","ms":1.500})");
    CHECK(manager::proxy_ping_answer(42, 7us) ==
          R"({"ok":true,"command":"ping","target":"proxy","pid":42,"ms":0.007})");
}

TEST_CASE("ping answers follow the health checker's verdict", "[manager]") {
    manager::PingReport ok{"instance", "c1", "i1", "abcd2345", "http://h:1/", {}};
    ok.result.status = 200;
    ok.result.elapsed = 1234us;
    CHECK(manager::ping_answer(ok) ==
          R"({"ok":true,"command":"ping","target":"instance","cluster":"c1","instance":"i1",)"
          R"("route":"abcd2345","url":"http://h:1/","status":200,"error":null,"ms":1.234})");

    manager::PingReport down{"url", {}, {}, {}, "http://h:1/", {}};
    down.result.error = "connect: Connection refused";
    CHECK(manager::ping_answer(down) ==
          R"({"ok":false,"command":"ping","target":"url","url":"http://h:1/","status":0,)"
          R"("error":"connect: Connection refused","ms":0.000})");

    manager::PingReport unavailable = ok;
    unavailable.result.status = 503;
    CHECK_THAT(manager::ping_answer(unavailable), Catch::StartsWith(R"({"ok":false,)"));
}

TEST_CASE("admin changes swap the shared state and list every instance", "[manager]") {
    state::SharedRecord record{};
    CHECK(manager::set_admin_state(record, AdminState::Stopped, 1000) == AdminState::Active);
    CHECK(state::admin_state(record) == AdminState::Stopped);
    CHECK(record.admin_since_ms.load() == 1000);
    // No change, so the admin clock keeps running from the first stop.
    CHECK(manager::set_admin_state(record, AdminState::Stopped, 2000) == AdminState::Stopped);
    CHECK(record.admin_since_ms.load() == 1000);

    manager::Command c = manager::parse_command("POST", "cmd=stop-domain&domain=d1").command;
    std::vector<manager::AdminChange> changes{
        {"c1", "i1", "r1", "d1", AdminState::Active, AdminState::Stopped},
        {"c1", "i2", "r2", "d1", AdminState::Stopped, AdminState::Stopped}};
    CHECK(manager::admin_answer(c, changes, 10us) ==
          R"({"ok":true,"command":"stop-domain","domain":"d1","cluster":null,)"
          R"("admin_state":"stopped","changed":1,"instances":[)"
          R"({"cluster":"c1","instance":"i1","route":"r1","domain":"d1","previous":"active",)"
          R"("admin_state":"stopped","changed":true},)"
          R"({"cluster":"c1","instance":"i2","route":"r2","domain":"d1","previous":"stopped",)"
          R"("admin_state":"stopped","changed":false}],"ms":0.010})");
    CHECK(manager::describe(changes) == "c1/i1 active->stopped, c1/i2 stopped (unchanged)");
}

TEST_CASE("status reads config, admin state, health and counters", "[manager]") {
    config::Instance inst;
    inst.name = "i\"1";
    inst.domain = "d1";
    inst.weight = 50;
    state::SharedRecord record{};
    record.requests = 7;
    record.new_sessions = 3;
    record.failovers = 1;
    record.retries = 2;
    record.responses_5xx = 5;
    record.failure_streak = 2;
    record.admin_state = static_cast<std::uint32_t>(AdminState::Disabled);
    state::mark_unhealthy(record, state::Failure::Connect, 1700000000000);

    manager::InstanceStatus s = manager::read_status(inst, "r1", record);
    CHECK(s.failures == 1);
    CHECK(s.failures_in_a_row == 2);
    CHECK(s.unhealthy_since_ms == 1700000000000);
    s.url = "http://127.0.0.1:8080";
    s.busy = 4;
    manager::ClusterStatus cluster = cluster_of(s, 1, 17);
    manager::ConfigStatus config;
    config.pid = 42;
    config.generation = 3;
    config.published = 4;
    config.loaded_at_ms = 1700000000123;
    config.hash = 0xabc;
    config.file = "/etc/lb.xml";
    config.last_ok = false;
    config.last_generation = 3;
    config.last_at_ms = 1700000001000;
    config.last_errors = {"/etc/lb.xml:7: bad"};
    CHECK(manager::status_answer(config, {cluster}, {}, 20us) ==
          R"({"ok":true,"command":"status","pid":42,"generation":3,"published_generation":4,)"
          R"("loaded_at":"2023-11-14T22:13:20.123Z","loaded_at_ms":1700000000123,)"
          R"("config_hash":"0000000000000abc","config_file":"/etc/lb.xml",)"
          R"("last_reload":{"ok":false,"generation":3,"at":"2023-11-14T22:13:21.000Z",)"
          R"("errors":["/etc/lb.xml:7: bad"]},"spare_clusters":{"used":0,"total":0},)"
          R"("overrides":[],)"
          R"("session_table":{"capacity":0,"used":0,"bytes":0,"overflow":0,"evicted":0},)"
          R"("clusters":[{"name":"c1","policy":"round-robin","workers":{"used":1,"total":17},)"
          R"("generation":0,"active_version":null,"canary":null,"stale_sessions":0,)"
          R"("session_overflow":0,)"
          R"("instances":[{"name":"i\"1","route":"r1","domain":"d1","version":null,)"
          R"("url":"http://127.0.0.1:8080","weight":50,"enabled":true,)"
          R"("admin_state":"disabled","healthy":false,"unhealthy_since_ms":1700000000000,)"
          R"("last_error":"connect failed","failures_in_a_row":2,"worker_usable":false,)"
          R"("busy":4,"removed":false,"state":"active","live_sessions":0,)"
          R"("untracked_sessions":0,"sessions_created_while_draining":0,"sessions_ended":0,)"
          R"("sessions_expired":0,"long_lived":0,"draining_since_ms":null,)"
          R"("drained_since_ms":null,"drain_estimate_s":null,"avg_response_ms":0.000,)"
          R"("max_response_ms":0.000,)"
          R"("counters":{"requests":7,"new_sessions":3,"failures":1,"failovers":1,)"
          R"("retries":2,"responses_5xx":5}}]}],"ms":0.020})");
}

TEST_CASE("status reports the upgrade lifecycle: versions, canary, drain state, sessions",
          "[manager][lifecycle]") {
    config::Instance inst;
    inst.name = "v1a";
    inst.version = "1.0";
    state::SharedRecord record{};
    record.live_sessions = 12;
    record.untracked_sessions = 3;
    record.drain_created = 2;
    record.sessions_ended = 40;
    record.sessions_expired = 5;
    record.long_lived = 1;
    record.draining_since_ms = 1700000000000;
    record.drained_since_ms = 1700000060000;

    manager::InstanceStatus s = manager::read_status(inst, "r1", record);
    CHECK(s.live_sessions == 12);
    CHECK(s.untracked_sessions == 3);
    CHECK(s.drain_created == 2);
    CHECK(s.sessions_ended == 40);
    CHECK(s.sessions_expired == 5);
    CHECK(s.long_lived == 1);
    CHECK(s.draining_since_ms == 1700000000000);
    CHECK(s.drained_since_ms == 1700000060000);
    s.state = lifecycle::Reported::Drained;

    manager::ClusterStatus cluster = cluster_of(s, 1, 1);
    cluster.generation = 7;
    cluster.active_version = "2.0";
    cluster.has_active_version = true;
    cluster.canary_version = "2.1";
    cluster.canary_percent = 10;
    cluster.stale_sessions = 4;
    cluster.session_overflow = 9;
    manager::SessionTableStatus table{1048576, 15, 50331712, 9, 6};
    std::string json = manager::status_answer({}, {cluster}, table, 0us);
    CHECK_THAT(json,
               Catch::Contains(R"("session_table":{"capacity":1048576,"used":15,"bytes":50331712,)"
                               R"("overflow":9,"evicted":6})"));
    CHECK_THAT(json,
               Catch::Contains(R"("generation":7,"active_version":"2.0",)"
                               R"("canary":{"version":"2.1","percent":10},"stale_sessions":4,)"
                               R"("session_overflow":9,)"));
    CHECK_THAT(json, Catch::Contains(R"("version":"1.0",)"));
    CHECK_THAT(json, Catch::Contains(
                         R"("state":"drained","live_sessions":12,"untracked_sessions":3,)"
                         R"("sessions_created_while_draining":2,"sessions_ended":40,)"
                         R"("sessions_expired":5,"long_lived":1,)"
                         R"("draining_since_ms":1700000000000,"drained_since_ms":1700000060000,)"));

    // A canary at 0 % is off: reported as none, like a cluster without one.
    cluster.canary_percent = 0;
    cluster.has_active_version = false;
    json = manager::status_answer({}, {cluster}, table, 0us);
    CHECK_THAT(json, Catch::Contains(R"("active_version":null,"canary":null,)"));
}

TEST_CASE("a reload answers with its generation or its errors", "[manager][reload]") {
    CHECK(manager::reload_answer({true, true, 5, {}, 42}, 1000us) ==
          R"({"ok":true,"command":"reload","generation":5,"changed":true,"errors":[],)"
          R"("pid":42,"ms":1.000})");
    CHECK(manager::reload_answer({false, false, 4, {"f.xml:3: bad"}, 7}, 0us) ==
          R"({"ok":false,"command":"reload","generation":4,"changed":false,)"
          R"("errors":["f.xml:3: bad"],"pid":7,"ms":0.000})");
}
