// A commit answered by something other than the manager (a reverse proxy's 502/504 page after
// its own timeout) was sent and may have been applied: it is settled by the status like a
// commit with no answer, not reported as the front-end refusing it.
#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "front_end_push.hpp"

using namespace lbxml_gen;

namespace {

const std::string kXml = "<loadbalancer/>\n";
const std::string kUrl = "http://proxied/zdu-manager";

struct ProxiedFrontEnd : Transport {
    long commit_status = 504;
    std::string commit_body = "<html><body><h1>504 Gateway Time-out</h1></body></html>\n";
    std::string status_hash;
    int status_asked = 0;

    HttpResult send(const HttpRequest& r) override {
        const std::string hash = config_hash_hex(r.body);
        if (r.url.find("cmd=push-validate") != std::string::npos)
            return {true, 200, R"({"ok":true,"hash":")" + hash + R"("})", ""};
        if (r.url.find("cmd=push-commit") != std::string::npos)
            return {true, commit_status, commit_body, ""};
        ++status_asked;
        return {
            true, 200,
            R"({"ok":true,"generation":4,"config_hash":")" + status_hash + R"(","overrides":[]})",
            ""};
    }
};

}  // namespace

TEST_CASE("a proxy's gateway timeout on a commit that went through is applied, by its status",
          "[lbxml-gen-push][review12b]") {
    ProxiedFrontEnd t;
    t.status_hash = config_hash_hex(kXml);
    const auto report = apply(kXml, {kUrl}, "s", ApplyOptions{}, t);
    CHECK(t.status_asked == 1);
    CHECK(report.front_ends[0].outcome == Outcome::Applied);
    CHECK(report.front_ends[0].generation == 4);
    CHECK(report.all_applied());
}

TEST_CASE("a proxy's gateway timeout on a commit not (yet) running is unknown, not refused",
          "[lbxml-gen-push][review12b]") {
    ProxiedFrontEnd t;
    t.status_hash = "00000000000000aa";
    const auto report = apply(kXml, {kUrl}, "s", ApplyOptions{}, t);
    CHECK(report.front_ends[0].outcome == Outcome::Unknown);
    CHECK_THAT(report.front_ends[0].reasons.front(), Catch::Contains("HTTP 504"));
    CHECK_FALSE(report.all_applied());
}

TEST_CASE("the manager's own refusal of a commit stays a refusal", "[lbxml-gen-push][review12b]") {
    ProxiedFrontEnd t;
    t.commit_status = 500;
    t.commit_body = R"({"ok":false,"error":"not applied, the file is untouched: disk full"})";
    t.status_hash = config_hash_hex(kXml);
    const auto report = apply(kXml, {kUrl}, "s", ApplyOptions{}, t);
    CHECK(t.status_asked == 0);
    CHECK(report.front_ends[0].outcome == Outcome::Refused);
}
