#include <catch2/catch.hpp>

#include "manager/command.hpp"
#include "manager/query.hpp"

using namespace zdu::manager;
using zdu::state::AdminState;

TEST_CASE("query strings are form-decoded", "[manager]") {
    Query q = parse_query("cmd=ping&instance=a%20b+c&&url=http%3A%2F%2Fh%3A1%2F");
    REQUIRE(q.ok());
    REQUIRE(q.params.size() == 3);
    CHECK(*q.find("instance") == "a b c");
    CHECK(*q.find("url") == "http://h:1/");
    CHECK(q.find("domain") == nullptr);
    CHECK(parse_query("flag").params.at(0).value.empty());
    CHECK(parse_query("").params.empty());
}

TEST_CASE("malformed or repeated query parameters are refused", "[manager]") {
    CHECK_FALSE(parse_query("a=%zz").ok());
    CHECK_FALSE(parse_query("a=%4").ok());
    CHECK_FALSE(parse_query("a=%").ok());
    CHECK_FALSE(parse_query("a=x%00y").ok());
    CHECK_FALSE(parse_query("=x").ok());
    Query twice = parse_query("cluster=c1&cluster=c2");
    CHECK_FALSE(twice.ok());
    CHECK(twice.params.empty());
    CHECK_THAT(twice.error, Catch::Contains("more than once"));
}

TEST_CASE("ping targets the proxy, an instance or a URL", "[manager]") {
    auto proxy = parse_command("GET", "cmd=ping");
    REQUIRE(proxy.ok());
    CHECK(proxy.command.kind == CommandKind::PingProxy);
    CHECK_FALSE(proxy.command.changes_state());

    auto inst = parse_command("HEAD", "cmd=ping&instance=i1&cluster=c1");
    REQUIRE(inst.ok());
    CHECK(inst.command.kind == CommandKind::PingInstance);
    CHECK(inst.command.instance == "i1");
    CHECK(inst.command.cluster == "c1");

    auto url = parse_command("POST", "cmd=ping&url=http://10.0.0.1:8080/health");
    REQUIRE(url.ok());
    CHECK(url.command.kind == CommandKind::PingUrl);
    CHECK(url.command.url_target.host == "10.0.0.1");
    CHECK(url.command.url_target.port == 8080);
    CHECK(url.command.url_target.path == "/health");

    auto v6 = parse_command("GET", "cmd=ping&url=http://[::1]:81");
    REQUIRE(v6.ok());
    CHECK(v6.command.url_target.host == "::1");
    CHECK(v6.command.url_target.path == "/");
}

TEST_CASE("bad ping arguments are 400s", "[manager]") {
    for (const char* query :
         {"cmd=ping&url=https://h:443/", "cmd=ping&url=ftp://h:21", "cmd=ping&url=http://h",
          "cmd=ping&url=h:80", "cmd=ping&url=http://h:1&instance=i1", "cmd=ping&cluster=c1",
          "cmd=ping&instance=", "cmd=ping&domain=d1"}) {
        auto p = parse_command("GET", query);
        INFO(query);
        CHECK_FALSE(p.ok());
        CHECK(p.status == 400);
    }
    CHECK_THAT(parse_command("GET", "cmd=ping&url=https://h:443/").error,
               Catch::Contains("only http://"));
}

TEST_CASE("domain and instance commands set an admin state and need POST", "[manager]") {
    struct Case {
        const char* query;
        CommandKind kind;
        AdminState state;
    };
    for (auto c :
         {Case{"cmd=disable-domain&domain=d1", CommandKind::SetDomain, AdminState::Disabled},
          Case{"cmd=enable-domain&domain=d1", CommandKind::SetDomain, AdminState::Active},
          Case{"cmd=stop-domain&domain=d1", CommandKind::SetDomain, AdminState::Stopped},
          Case{"cmd=disable-instance&instance=i1", CommandKind::SetInstance, AdminState::Disabled},
          Case{"cmd=enable-instance&instance=i1", CommandKind::SetInstance, AdminState::Active},
          Case{"cmd=stop-instance&instance=i1", CommandKind::SetInstance, AdminState::Stopped}}) {
        INFO(c.query);
        auto post = parse_command("POST", c.query);
        REQUIRE(post.ok());
        CHECK(post.command.kind == c.kind);
        CHECK(post.command.admin_state == c.state);
        CHECK(post.command.changes_state());
        for (const char* method : {"GET", "HEAD", "PUT", "DELETE"}) {
            auto refused = parse_command(method, c.query);
            CHECK(refused.status == 405);
            CHECK(refused.allow == "POST");
        }
    }
    auto scoped = parse_command("POST", "cmd=stop-domain&domain=d%201&cluster=c1");
    REQUIRE(scoped.ok());
    CHECK(scoped.command.domain == "d 1");
    CHECK(scoped.command.cluster == "c1");
}

TEST_CASE("missing, unknown and misspelt parameters are 400s", "[manager]") {
    auto missing = parse_command("POST", "cmd=stop-domain");
    CHECK(missing.status == 400);
    CHECK_THAT(missing.error, Catch::Contains("domain="));
    CHECK(parse_command("POST", "cmd=stop-domain&domian=d1").status == 400);
    CHECK(parse_command("POST", "cmd=stop-instance&domain=d1").status == 400);
    CHECK(parse_command("POST", "cmd=stop-domain&domain=d1&cluster=").status == 400);
    CHECK(parse_command("GET", "cmd=status&secret=x").status == 400);

    auto unknown = parse_command("GET", "cmd=reboot");
    CHECK(unknown.status == 400);
    CHECK_THAT(unknown.error, Catch::Contains("ping, status, disable-domain"));
    CHECK_THAT(unknown.error, Catch::Contains("stop-instance"));
    auto none = parse_command("GET", "");
    CHECK(none.status == 400);
    CHECK_THAT(none.error, Catch::Contains("missing cmd"));
}

TEST_CASE("read-only commands take GET, HEAD and POST only", "[manager]") {
    CHECK(parse_command("GET", "cmd=status").ok());
    CHECK(parse_command("POST", "cmd=status&cluster=c1").ok());
    auto put = parse_command("PUT", "cmd=status");
    CHECK(put.status == 405);
    CHECK(put.allow == "GET, HEAD, POST");
}

TEST_CASE("commands are described for the log with their values as given", "[manager]") {
    // httpd's error log escapes control bytes itself (ap_escape_errorlog_item).
    auto p = parse_command("POST", "cmd=stop-instance&instance=i%0A1&cluster=c1");
    REQUIRE(p.ok());
    CHECK(describe(p.command) == "stop-instance instance=i\n1 cluster=c1");
}

TEST_CASE("cmd=reload takes POST only and no parameter", "[manager][reload]") {
    auto post = parse_command("POST", "cmd=reload");
    REQUIRE(post.ok());
    CHECK(post.command.kind == CommandKind::Reload);
    CHECK(post.command.changes_state());
    auto get = parse_command("GET", "cmd=reload");
    CHECK(get.status == 405);
    CHECK(get.allow == "POST");
    CHECK(parse_command("POST", "cmd=reload&cluster=c1").status == 400);
}
