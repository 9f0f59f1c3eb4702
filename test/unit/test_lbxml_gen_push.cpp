// lbxml-gen's two-phase push to front-ends, against a scripted transport: what is sent, what
// is reported, and that nothing is committed anywhere unless every front-end validated.
#include <algorithm>
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "front_end_push.hpp"

using namespace lbxml_gen;

namespace {

const std::string kXml = "<loadbalancer/>\n";

// Answers each request with the handler for its front-end (the URL before '?') and records it.
struct ScriptedTransport : Transport {
    std::map<std::string, std::function<HttpResult(const HttpRequest&)>> front_ends;
    std::vector<HttpRequest> sent;

    HttpResult send(const HttpRequest& r) override {
        sent.push_back(r);
        return front_ends.at(r.url.substr(0, r.url.find('?')))(r);
    }
    int count(const std::string& query_part) const {
        int n = 0;
        for (const auto& r : sent) n += r.url.find(query_part) != std::string::npos;
        return n;
    }
};

HttpResult answer(long status, std::string body) {
    return HttpResult{true, status, body, ""};
}

// A front-end that accepts everything, as the module does for a valid xml.
HttpResult willing(const HttpRequest& r) {
    const std::string hash = config_hash_hex(r.body);
    if (r.url.find("cmd=ping") != std::string::npos) return answer(200, R"({"ok":true})");
    if (r.url.find("cmd=push-validate") != std::string::npos)
        return answer(200, R"({"ok":true,"hash":")" + hash + R"("})");
    return answer(200, R"({"ok":true,"generation":7,"hash":")" + hash +
                           R"(","overrides":[{"cluster":"c1","instance":"i2",)"
                           R"("admin_state":"disabled","origin":"manager","since_ms":1234}],)"
                           R"("reset":false})");
}

const std::vector<std::string> kUrls = {"http://a/zdu-manager", "http://b/zdu-manager",
                                        "http://c/zdu-manager"};

ScriptedTransport three_willing() {
    ScriptedTransport t;
    for (const auto& u : kUrls) t.front_ends[u] = willing;
    return t;
}

}  // namespace

TEST_CASE("apply validates on all front-ends, then commits on all", "[lbxml-gen-push]") {
    auto t = three_willing();
    const auto report = apply(kXml, kUrls, "s3cret", ApplyOptions{}, t);

    REQUIRE(report.all_applied());
    CHECK(report.committed);
    REQUIRE(t.sent.size() == 6);
    for (int i = 0; i < 3; ++i) CHECK(t.sent[i].url == kUrls[i] + "?cmd=push-validate");
    for (int i = 3; i < 6; ++i)
        CHECK(t.sent[i].url == kUrls[i - 3] + "?cmd=push-commit&hash=" + config_hash_hex(kXml));
    for (const auto& r : t.sent) {
        CHECK(r.method == "POST");
        CHECK(r.body == kXml);
        CHECK(std::count(r.headers.begin(), r.headers.end(),
                         std::pair<std::string, std::string>{"X-Zdu-Secret", "s3cret"}) == 1);
        CHECK(std::count(r.headers.begin(), r.headers.end(),
                         std::pair<std::string, std::string>{"Content-Type", "application/xml"}) ==
              1);
    }
    const auto& fe = report.front_ends[1];
    CHECK(fe.generation == 7);
    CHECK(fe.hash == config_hash_hex(kXml));
    REQUIRE(fe.overrides.size() == 1);
    CHECK(fe.overrides[0].instance == "i2");
    CHECK(fe.overrides[0].admin_state == "disabled");
    CHECK(fe.overrides[0].origin == "manager");
    CHECK(fe.overrides[0].since_ms == 1234);
    const std::string text = format_report(report);
    CHECK(text.find("http://c/zdu-manager: applied (generation 7") != std::string::npos);
    CHECK(text.find("override: c1/i2 disabled by manager") != std::string::npos);
}

TEST_CASE("a front-end refusing the xml keeps every front-end from committing",
          "[lbxml-gen-push]") {
    auto t = three_willing();
    t.front_ends[kUrls[1]] = [](const HttpRequest&) {
        return answer(400, R"({"ok":false,"errors":["5: <instance> needs listeners"]})");
    };
    const auto report = apply(kXml, kUrls, "s3cret", ApplyOptions{}, t);

    CHECK_FALSE(report.all_applied());
    CHECK_FALSE(report.committed);
    CHECK(t.count("push-commit") == 0);
    // The later front-end still validates, so the operator sees every problem at once.
    CHECK(t.count("push-validate") == 3);
    CHECK(report.front_ends[1].outcome == Outcome::Refused);
    CHECK(report.front_ends[1].status == 400);
    CHECK(report.front_ends[1].reasons ==
          std::vector<std::string>{"5: <instance> needs listeners"});
    CHECK(report.front_ends[0].outcome == Outcome::NotPushed);
    CHECK(report.front_ends[2].outcome == Outcome::NotPushed);
    CHECK(format_report(report).find("nothing committed on any front-end") != std::string::npos);
}

TEST_CASE("an unreachable front-end is reported and nothing is committed", "[lbxml-gen-push]") {
    auto t = three_willing();
    t.front_ends[kUrls[2]] = [](const HttpRequest&) {
        return HttpResult{false, 0, "", "Failed to connect to c port 80"};
    };
    const auto report = apply(kXml, kUrls, "s3cret", ApplyOptions{}, t);

    CHECK(t.count("push-commit") == 0);
    CHECK(report.front_ends[2].outcome == Outcome::Unreachable);
    CHECK(report.front_ends[2].phase == "validate");
    CHECK(report.front_ends[2].reasons[0].find("Failed to connect") != std::string::npos);
    CHECK(format_report(report).find("http://c/zdu-manager: unreachable at validate") !=
          std::string::npos);
}

TEST_CASE("a wrong secret is a refusal with the manager's reason", "[lbxml-gen-push]") {
    auto t = three_willing();
    t.front_ends[kUrls[0]] = [](const HttpRequest&) {
        return answer(403, R"({"ok":false,"error":"wrong secret"})");
    };
    const auto report = apply(kXml, kUrls, "bad", ApplyOptions{}, t);
    CHECK(t.count("push-commit") == 0);
    CHECK(report.front_ends[0].outcome == Outcome::Refused);
    CHECK(report.front_ends[0].reasons == std::vector<std::string>{"wrong secret"});
}

TEST_CASE("a non-JSON refusal shows the status and the start of the body", "[lbxml-gen-push]") {
    auto t = three_willing();
    t.front_ends[kUrls[0]] = [](const HttpRequest&) { return answer(404, "Not Found\n"); };
    const auto report = apply(kXml, kUrls, "s", ApplyOptions{}, t);
    CHECK(report.front_ends[0].reasons == std::vector<std::string>{"HTTP 404: Not Found"});
}

TEST_CASE("a validated hash other than that of the bytes sent stops the commit",
          "[lbxml-gen-push]") {
    auto t = three_willing();
    t.front_ends[kUrls[0]] = [](const HttpRequest&) {
        return answer(200, R"({"ok":true,"hash":"0000000000000000"})");
    };
    const auto report = apply(kXml, kUrls, "s", ApplyOptions{}, t);
    CHECK(t.count("push-commit") == 0);
    CHECK(report.front_ends[0].outcome == Outcome::Refused);
    CHECK(report.front_ends[0].reasons[0].find("is not the hash of the xml sent") !=
          std::string::npos);
}

TEST_CASE("a commit failing on one front-end is reported, the others applied", "[lbxml-gen-push]") {
    auto t = three_willing();
    t.front_ends[kUrls[1]] = [](const HttpRequest& r) {
        if (r.url.find("push-commit") != std::string::npos)
            return answer(500, R"({"ok":false,"error":"cannot write /etc/zdu/lb.xml.tmp"})");
        return willing(r);
    };
    const auto report = apply(kXml, kUrls, "s", ApplyOptions{}, t);
    CHECK(report.committed);
    CHECK_FALSE(report.all_applied());
    CHECK(report.front_ends[0].outcome == Outcome::Applied);
    CHECK(report.front_ends[1].outcome == Outcome::Refused);
    CHECK(report.front_ends[1].phase == "commit");
    CHECK(report.front_ends[2].outcome == Outcome::Applied);
}

TEST_CASE("with --ping every manager is checked first; --reset-overrides goes on the commit",
          "[lbxml-gen-push]") {
    auto t = three_willing();
    auto report = apply(kXml, kUrls, "s", ApplyOptions{true, true}, t);
    REQUIRE(report.all_applied());
    CHECK(t.sent[0].method == "GET");
    CHECK(t.sent[0].url == kUrls[0] + "?cmd=ping");
    CHECK(t.count("cmd=ping") == 3);
    CHECK(t.count("&reset-overrides=1") == 3);

    auto down = three_willing();
    down.front_ends[kUrls[0]] = [](const HttpRequest& r) {
        if (r.url.find("cmd=ping") != std::string::npos)
            return answer(503, R"({"ok":false,"error":"unhealthy"})");
        return willing(r);
    };
    report = apply(kXml, kUrls, "s", ApplyOptions{true, false}, down);
    CHECK(down.count("push-commit") == 0);
    CHECK(down.count("push-validate") == 2);
    CHECK(report.front_ends[0].phase == "ping");
}

TEST_CASE("a load balancer with no front-end is never all applied", "[lbxml-gen-push]") {
    ScriptedTransport t;
    CHECK_FALSE(apply(kXml, {}, "s", ApplyOptions{}, t).all_applied());
}

TEST_CASE("command_url adds the query as the manager URL needs", "[lbxml-gen-push]") {
    CHECK(command_url("http://h/zdu-manager", "cmd=ping") == "http://h/zdu-manager?cmd=ping");
    CHECK(command_url("http://h/m?", "cmd=ping") == "http://h/m?cmd=ping");
    CHECK(command_url("http://h/m?a=1", "cmd=ping") == "http://h/m?a=1&cmd=ping");
    CHECK(command_url("http://h/m#top", "cmd=ping") == "http://h/m?cmd=ping");
}

TEST_CASE("config_hash_hex is the module's 16-digit config_hash", "[lbxml-gen-push]") {
    const std::string h = config_hash_hex(kXml);
    CHECK(h.size() == 16);
    CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(h != config_hash_hex(kXml + " "));
}

namespace {

// A front-end that already runs the xml: push-validate says unchanged.
HttpResult running_it(const HttpRequest& r) {
    const std::string hash = config_hash_hex(r.body);
    if (r.url.find("cmd=push-validate") != std::string::npos)
        return answer(200, R"({"ok":true,"hash":")" + hash + R"(","unchanged":true})");
    if (r.url.find("cmd=push-commit") != std::string::npos)
        return answer(200, R"({"ok":true,"generation":3,"hash":")" + hash +
                               R"(","changed":false,"unchanged":true,"reset":true})");
    return willing(r);
}

}  // namespace

TEST_CASE("front-ends already running the xml are not committed on", "[lbxml-gen-push]") {
    ScriptedTransport t;
    for (const auto& u : kUrls) t.front_ends[u] = running_it;
    auto report = apply(kXml, kUrls, "s", ApplyOptions{}, t);
    CHECK(report.all_applied());
    CHECK_FALSE(report.committed);
    CHECK(t.count("push-commit") == 0);
    for (const auto& fe : report.front_ends) CHECK(fe.outcome == Outcome::Unchanged);
    CHECK_THAT(format_report(report),
               Catch::Contains("unchanged") && Catch::Contains("already runs this content"));

    // Mixed: only the one that does not run it yet commits.
    ScriptedTransport mixed;
    mixed.front_ends[kUrls[0]] = running_it;
    mixed.front_ends[kUrls[1]] = willing;
    mixed.front_ends[kUrls[2]] = running_it;
    report = apply(kXml, kUrls, "s", ApplyOptions{}, mixed);
    CHECK(report.all_applied());
    CHECK(report.committed);
    CHECK(mixed.count("push-commit") == 1);
    CHECK(mixed.sent.back().url.rfind(kUrls[1], 0) == 0);
    CHECK(report.front_ends[0].outcome == Outcome::Unchanged);
    CHECK(report.front_ends[1].outcome == Outcome::Applied);
    CHECK(report.front_ends[2].outcome == Outcome::Unchanged);
}

TEST_CASE("with --reset-overrides unchanged front-ends still commit, to clear them",
          "[lbxml-gen-push]") {
    ScriptedTransport t;
    for (const auto& u : kUrls) t.front_ends[u] = running_it;
    const auto report = apply(kXml, kUrls, "s", ApplyOptions{false, true}, t);
    CHECK(report.all_applied());
    CHECK(t.count("&reset-overrides=1") == 3);
    for (const auto& fe : report.front_ends) {
        CHECK(fe.outcome == Outcome::Unchanged);
        CHECK(fe.reset);
    }
    CHECK_THAT(format_report(report), Catch::Contains("overrides reset"));
}

TEST_CASE("a commit answering another hash is refused (hash mismatch)", "[lbxml-gen-push]") {
    auto t = three_willing();
    t.front_ends[kUrls[2]] = [](const HttpRequest& r) {
        if (r.url.find("push-commit") != std::string::npos)
            return answer(200, R"({"ok":true,"generation":8,"hash":"0123456789abcdef"})");
        return willing(r);
    };
    const auto report = apply(kXml, kUrls, "s", ApplyOptions{}, t);
    CHECK_FALSE(report.all_applied());
    CHECK(report.front_ends[0].outcome == Outcome::Applied);
    CHECK(report.front_ends[2].outcome == Outcome::Refused);
    CHECK(report.front_ends[2].detail == "hash mismatch");
    CHECK_THAT(format_report(report), Catch::Contains("refused (hash mismatch) at commit") &&
                                          Catch::Contains("0123456789abcdef"));
}

TEST_CASE("a commit sent without an answer is unknown until its status tells", "[lbxml-gen-push]") {
    const auto lost_commit = [](const std::string& status_hash) {
        return [status_hash](const HttpRequest& r) {
            if (r.url.find("push-commit") != std::string::npos)
                return HttpResult{false, 0, "", "Operation timed out after 60000 milliseconds"};
            if (r.url.find("cmd=status") != std::string::npos) {
                if (status_hash.empty()) return HttpResult{false, 0, "", "Connection refused"};
                return answer(200, R"({"ok":true,"generation":12,"config_hash":")" + status_hash +
                                       R"(","overrides":[]})");
            }
            return willing(r);
        };
    };
    auto t = three_willing();
    t.front_ends[kUrls[0]] = lost_commit("");
    t.front_ends[kUrls[1]] = lost_commit("00000000000000aa");
    t.front_ends[kUrls[2]] = lost_commit(config_hash_hex(kXml));
    const auto report = apply(kXml, kUrls, "s", ApplyOptions{}, t);
    CHECK_FALSE(report.all_applied());
    CHECK(t.count("cmd=status") == 3);
    CHECK(report.front_ends[0].outcome == Outcome::Unknown);
    CHECK(report.front_ends[0].detail == "sent, no answer; check its status");
    CHECK(report.front_ends[1].outcome == Outcome::Unknown);
    CHECK_THAT(report.front_ends[1].reasons.back(), Catch::Contains("00000000000000aa"));
    CHECK(report.front_ends[2].outcome == Outcome::Applied);
    CHECK(report.front_ends[2].generation == 12);
    const std::string text = format_report(report);
    CHECK_THAT(text, Catch::Contains("unknown (sent, no answer; check its status)"));
    CHECK_THAT(text, !Catch::Contains("unreachable"));
}

TEST_CASE("apply reads and describes every kind of override", "[lbxml-gen-push]") {
    ScriptedTransport t;
    t.front_ends[kUrls[0]] = [](const HttpRequest& r) {
        if (r.url.find("cmd=push-validate") != std::string::npos)
            return answer(200, R"({"ok":true,"hash":")" + config_hash_hex(r.body) + R"("})");
        return answer(
            200, R"({"ok":true,"generation":7,"hash":")" + config_hash_hex(r.body) +
                     R"(","overrides":[)"
                     R"({"cluster":"c1","instance":"i2","admin_state":"disabled",)"
                     R"("origin":"manager","since_ms":1},)"
                     R"({"cluster":"c1","context_root":"/shop","admin_state":"disabled",)"
                     R"("origin":"manager","since_ms":2,"kind":"web-module"},)"
                     R"({"cluster":"c1","version":"2.0","origin":"manager","since_ms":3,)"
                     R"("kind":"active-version"},)"
                     R"({"cluster":"c1","version":"2.1","percent":10,"origin":"manager",)"
                     R"("since_ms":4,"kind":"canary"}],"reset":false})");
    };
    const auto report = apply(kXml, {kUrls[0]}, "s", ApplyOptions{}, t);
    REQUIRE(report.front_ends.size() == 1);
    const auto& o = report.front_ends[0].overrides;
    REQUIRE(o.size() == 4);
    CHECK(describe(o[0]) == "c1/i2 disabled");
    CHECK(describe(o[1]) == "c1 web-module /shop disabled");
    CHECK(describe(o[2]) == "c1 active-version 2.0");
    CHECK(describe(o[3]) == "c1 canary 2.1 at 10%");
    const std::string text = format_report(report);
    CHECK_THAT(text, Catch::Contains("override: c1 canary 2.1 at 10% by manager"));
    CHECK_THAT(text, Catch::Contains("override: c1/i2 disabled by manager"));
}
