// The manager's drain, web-module and version commands: parsing, and the version overrides'
// packing and resolution, and their place in the state file.
#include <catch2/catch.hpp>

#include "manager/answers.hpp"
#include "manager/command.hpp"
#include "routing/version.hpp"
#include "state/state_file.hpp"

using namespace zdu::manager;
using zdu::state::AdminState;

TEST_CASE("drain commands take a target and a timeout in seconds", "[manager]") {
    auto p = parse_command("POST", "cmd=drain-instance&instance=i1&timeout=30&cluster=c1");
    REQUIRE(p.ok());
    CHECK(p.command.kind == CommandKind::DrainInstance);
    CHECK(p.command.timeout_seconds == 30);
    CHECK(p.command.instance == "i1");
    CHECK(p.command.cluster == "c1");
    CHECK(p.command.drains());
    CHECK(p.command.changes_state());
    CHECK(describe(p.command) == "drain-instance instance=i1 cluster=c1 timeout=30");

    auto d = parse_command("POST", "cmd=drain-domain&domain=d1&timeout=0");
    REQUIRE(d.ok());
    CHECK(d.command.kind == CommandKind::DrainDomain);
    CHECK(d.command.timeout_seconds == 0);

    auto w = parse_command("POST", "cmd=drain-web-module&context-root=%2Fapp&timeout=3600");
    REQUIRE(w.ok());
    CHECK(w.command.kind == CommandKind::DrainWebModule);
    CHECK(w.command.context_root == "/app");
    CHECK(w.command.timeout_seconds == kMaxDrainTimeoutSeconds);
}

TEST_CASE("a drain refuses a timeout that is not whole seconds within the bound", "[manager]") {
    for (const char* bad : {"-1", "1.5", "10s", "3601", "1e3", "0x10", "99999999999"}) {
        auto p =
            parse_command("POST", std::string("cmd=drain-instance&instance=i1&timeout=") + bad);
        CAPTURE(bad);
        CHECK(p.status == 400);
        CHECK_THAT(p.error, Catch::Contains("timeout") && Catch::Contains(bad));
    }
}

TEST_CASE("a new command without a parameter it needs names that parameter", "[manager]") {
    struct Case {
        const char* query;
        const char* missing;
    };
    for (const Case& c : {Case{"cmd=drain-instance&timeout=5", "instance="},
                          Case{"cmd=drain-instance&instance=i1", "timeout="},
                          Case{"cmd=drain-domain&timeout=5", "domain="},
                          Case{"cmd=drain-web-module&timeout=5", "context-root="},
                          Case{"cmd=disable-web-module", "context-root="},
                          Case{"cmd=enable-web-module&cluster=c1", "context-root="},
                          Case{"cmd=set-active-version&version=2", "cluster="},
                          Case{"cmd=set-active-version&cluster=c1", "version="},
                          Case{"cmd=start-canary&cluster=c1&version=2", "percent="},
                          Case{"cmd=start-canary&cluster=c1&percent=5", "version="},
                          Case{"cmd=stop-canary", "cluster="}}) {
        CAPTURE(c.query);
        auto p = parse_command("POST", c.query);
        CHECK(p.status == 400);
        CHECK_THAT(p.error, Catch::Contains(std::string("needs ") + c.missing));
    }
}

TEST_CASE("the new commands change state and so take POST only", "[manager]") {
    for (const char* q :
         {"cmd=drain-instance&instance=i1&timeout=5", "cmd=disable-web-module&context-root=/a",
          "cmd=set-active-version&cluster=c&version=1",
          "cmd=start-canary&cluster=c&version=1&percent=5", "cmd=stop-canary&cluster=c"}) {
        CAPTURE(q);
        auto get = parse_command("GET", q);
        CHECK(get.status == 405);
        CHECK(get.allow == "POST");
        CHECK(parse_command("POST", q).ok());
    }
}

TEST_CASE("web-module and version commands read their arguments", "[manager]") {
    auto off = parse_command("POST", "cmd=disable-web-module&context-root=/app&cluster=c1");
    REQUIRE(off.ok());
    CHECK(off.command.kind == CommandKind::SetWebModule);
    CHECK(off.command.admin_state == AdminState::Disabled);
    auto on = parse_command("POST", "cmd=enable-web-module&context-root=/app");
    REQUIRE(on.ok());
    CHECK(on.command.admin_state == AdminState::Active);

    auto set = parse_command("POST", "cmd=set-active-version&cluster=c1&version=2.0");
    REQUIRE(set.ok());
    CHECK(set.command.version == "2.0");
    // An empty version clears the override; only that parameter may be empty.
    auto clear = parse_command("POST", "cmd=set-active-version&cluster=c1&version=");
    REQUIRE(clear.ok());
    CHECK(clear.command.version.empty());
    CHECK(parse_command("POST", "cmd=set-active-version&cluster=&version=1").status == 400);
    CHECK(parse_command("POST", "cmd=set-active-version&cluster=c&version=a%20b").status == 400);

    auto canary = parse_command("POST", "cmd=start-canary&cluster=c1&version=2&percent=10");
    REQUIRE(canary.ok());
    CHECK(canary.command.percent == 10);
    CHECK(parse_command("POST", "cmd=start-canary&cluster=c&version=&percent=5").status == 400);
    for (const char* bad : {"0", "101", "5%", "-3"}) {
        CAPTURE(bad);
        auto p = parse_command("POST",
                               std::string("cmd=start-canary&cluster=c&version=2&percent=") + bad);
        CHECK(p.status == 400);
        CHECK_THAT(p.error, Catch::Contains("percent"));
    }
    CHECK(parse_command("POST", "cmd=stop-canary&cluster=c1").command.kind ==
          CommandKind::StopCanary);
}

TEST_CASE("version overrides resolve by key in any version list", "[routing]") {
    using namespace zdu::routing;
    const std::vector<std::string> gen1{"2.0", "1.0"};
    const std::vector<std::string> gen2{"3.0", "2.0", "1.0"};  // a reload added 3.0
    const std::uint64_t key = version_key("2.0");
    CHECK(key != 0);
    CHECK(resolve_version(gen1, key) == 0);
    CHECK(resolve_version(gen2, key) == 1);
    CHECK(resolve_version(gen2, version_key("9")) == -1);
    CHECK(resolve_version(gen2, 0) == -1);

    const std::uint64_t canary = pack_canary("3.0", 25);
    CHECK(canary_percent_of(canary) == 25);
    CHECK(canary_percent_of(0) == -1);
    CHECK(resolve_canary(gen2, canary) == 0);
    CHECK(resolve_canary(gen1, canary) == -1);

    VersionPlan xml;  // highest version, no canary
    VersionPlan p = apply_overrides(xml, gen2, version_key("1.0"), canary);
    CHECK(p.active == 2);
    CHECK(p.canary == 0);
    CHECK(p.canary_percent == 25);
    // stop-canary turns the xml's canary off; an unknown active key leaves the xml's choice.
    VersionPlan with_canary;
    with_canary.canary = 1;
    with_canary.canary_percent = 50;
    VersionPlan stopped =
        apply_overrides(with_canary, gen2, version_key("nope"), pack_canary("", 0));
    CHECK(stopped.active == -1);
    CHECK_FALSE(stopped.canary_on());
    CHECK(apply_overrides(with_canary, gen2, 0, 0).canary_percent == 50);
}

TEST_CASE("web-module admin states and cluster overrides survive the state file", "[state]") {
    using namespace zdu::state;
    StateFile f;
    f.written_ms = 5;
    WebModuleState w;
    w.cluster = "c1";
    w.context_root = "/app";
    w.disabled_since_ms = 0;
    w.admin = AdminState::Disabled;
    w.admin_since_ms = 1234;
    f.web_modules.push_back(w);
    ClusterState c;
    c.cluster = "c 1";
    c.active_version_key = zdu::routing::version_key("2.0");
    c.active_version_since_ms = 77;
    c.canary = zdu::routing::pack_canary("3.0", 10);
    c.canary_since_ms = 78;
    c.active_version = "2.0";
    c.canary_version = "3.0";
    f.clusters.push_back(c);
    ClusterState none;
    none.cluster = "quiet";
    f.clusters.push_back(none);  // no override: not written
    std::string text = format_state_file(f);
    CHECK_THAT(text, !Catch::Contains("quiet"));
    StateFileParse back = parse_state_file(text, "t");
    REQUIRE(back.ok());
    REQUIRE(back.file.web_modules.size() == 1);
    CHECK(back.file.web_modules[0] == w);
    REQUIRE(back.file.clusters.size() == 1);
    CHECK(back.file.clusters[0] == c);
}

TEST_CASE("a drain answers drained only on counts taken after it began", "[manager]") {
    DrainReport r;
    DrainedInstance i;
    i.cluster = "c1";
    i.instance = "i1";
    r.instances.push_back(i);
    CHECK_FALSE(r.drained());  // not counted yet
    r.instances[0].counted = true;
    CHECK(r.drained());
    r.instances[0].live = 2;
    r.instances[0].untracked = 1;
    CHECK_FALSE(r.drained());
    CHECK(r.remaining() == 3);
    r.instances[0].live = r.instances[0].untracked = 0;
    r.instances[0].in_flight = 1;
    CHECK_FALSE(r.drained());
    r.instances[0].in_flight = 0;
    r.instances[0].sessions_unknown = true;
    CHECK_FALSE(r.drained());

    auto c = parse_command("POST", "cmd=drain-instance&instance=i1&timeout=3").command;
    r.instances[0].sessions_unknown = false;
    std::string json = drain_answer(c, r, std::chrono::microseconds(1500));
    CHECK_THAT(json, Catch::Contains("\"drained\":true") && Catch::Contains("\"remaining\":0") &&
                         Catch::Contains("\"timeout_s\":3"));
}
