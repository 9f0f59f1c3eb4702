#include <catch2/catch.hpp>

#include "manager/status_page.hpp"

using namespace zdu::manager;

namespace {

StatusData sample() {
    StatusData d;
    ClusterStatus c;
    c.name = "shop";
    c.policy = "round-robin";
    c.has_active_version = true;
    c.active_version = "2.0";
    c.canary_version = "3.0";
    c.canary_percent = 5;
    InstanceStatus a;
    a.name = "i1";
    a.route = "r1";
    a.version = "1.0";
    a.domain = "d1";
    a.weight = 100;
    a.admin_state = zdu::state::AdminState::Disabled;
    a.state = zdu::lifecycle::Reported::Draining;
    a.live_sessions = 17;
    a.requests = 1234;
    a.busy = 3;
    a.failovers = 4;
    a.failures = 5;
    a.responses_5xx = 6;
    a.answered = 10;
    a.answer_total_us = 122500;  // 12.25 ms on average
    a.answer_max_us = 250000;
    a.end_rate_micro = 85000;  // 0.085 sessions/s: 17 live sessions gone in 200 s
    InstanceStatus b;
    b.name = "i2";
    b.route = "r2";
    b.version = "2.0";
    b.unhealthy_since_ms = 1;
    c.instances = {a, b};
    d.clusters.push_back(c);
    return d;
}

std::string row_of(const std::string& page, const std::string& instance) {
    const auto start = page.find("<tr data-instance=\"" + instance + "\"");
    REQUIRE(start != std::string::npos);
    return page.substr(start, page.find("</tr>", start) - start);
}

}  // namespace

TEST_CASE("html_escape escapes every markup character", "[manager][page]") {
    CHECK(html_escape(R"(<a href="x">&'</a>)") ==
          "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    CHECK(html_escape("plain") == "plain");
}

TEST_CASE("the page shows each cluster's versions, active one and canary", "[manager][page]") {
    const std::string page = render_status_page(sample(), {});
    CHECK_THAT(page, Catch::StartsWith("<!DOCTYPE html>"));
    CHECK_THAT(page, Catch::Contains("<h2>shop</h2>"));
    CHECK_THAT(page, Catch::Contains("<dt>versions</dt><dd>1.0, 2.0</dd>"));
    CHECK_THAT(page, Catch::Contains("<dt>active</dt><dd>2.0</dd>"));
    CHECK_THAT(page, Catch::Contains("<dt>canary</dt><dd>3.0 at 5%</dd>"));
    StatusData none = sample();
    none.clusters[0].canary_percent = 0;
    none.clusters[0].has_active_version = false;
    const std::string plain = render_status_page(none, {});
    CHECK_THAT(plain, Catch::Contains("<dt>canary</dt><dd>none</dd>"));
    CHECK_THAT(plain, Catch::Contains("<dt>active</dt><dd>none</dd>"));
}

TEST_CASE("an instance row carries every column", "[manager][page]") {
    const std::string page = render_status_page(sample(), {});
    const std::string row = row_of(page, "i1");
    CHECK_THAT(row, Catch::Contains("data-state=\"draining\" data-admin=\"disabled\""));
    CHECK_THAT(row, Catch::Contains(">draining</span><span class=\"tag admin\">disabled</span>"));
    for (const char* cell :
         {"data-label=\"Sessions\">17<", "data-label=\"Requests\">1234<", "data-label=\"Busy\">3<",
          "data-label=\"Failovers\">4<", "data-label=\"Errors\">5<", "data-label=\"5xx\">6<",
          "data-label=\"Avg ms\">12.2", "data-label=\"Max ms\">250.0<",
          "data-label=\"Drained in\">3 min 20 s<", "data-label=\"Weight\">100<",
          "data-label=\"Health\">healthy<"}) {
        CHECK_THAT(row, Catch::Contains(cell));
    }
    const std::string other = row_of(page, "i2");
    CHECK_THAT(other, Catch::Contains("unhealthy"));
    // No request and no estimate: nothing made up.
    CHECK_THAT(other, Catch::Contains("data-label=\"Avg ms\">-<"));
    CHECK_THAT(other, Catch::Contains("data-label=\"Drained in\">-<"));
}

TEST_CASE("every value on the page is escaped", "[manager][page]") {
    StatusData d = sample();
    d.clusters[0].name = "<c&\">";
    d.clusters[0].instances[0].name = "<script>alert(1)</script>";
    d.clusters[0].instances[0].version = "v\"><b>";
    d.config.file = "/etc/<x>.xml";
    PageOptions o;
    o.mode = PageMode::Actions;
    o.self_path = "/m\"><x";
    o.token = "t";
    o.notice = "<done>";
    const std::string page = render_status_page(d, o);
    CHECK_THAT(page, !Catch::Contains("<script>alert"));
    CHECK_THAT(page, !Catch::Contains("v\"><b>"));
    CHECK_THAT(page, Catch::Contains("v&quot;&gt;&lt;b&gt;"));
    CHECK_THAT(page, !Catch::Contains("<x"));
    CHECK_THAT(page, !Catch::Contains("<done>"));
    CHECK_THAT(page, !Catch::Contains("<c&"));
    CHECK_THAT(page, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    CHECK_THAT(page, Catch::Contains("value=\"&lt;c&amp;&quot;&gt;\""));
}

TEST_CASE("the read-only page has no form and refreshes itself", "[manager][page]") {
    const std::string page = render_status_page(sample(), {});
    CHECK_THAT(page, !Catch::Contains("<form"));
    CHECK_THAT(page, Catch::Contains("http-equiv=\"refresh\" content=\"10\""));
    CHECK_THAT(page, Catch::Contains("name=\"viewport\""));
    CHECK_THAT(page, Catch::Contains("@media (max-width:760px)"));
    // No external asset.
    CHECK_THAT(page, !Catch::Contains("src="));
    CHECK_THAT(page, !Catch::Contains("<link"));
}

TEST_CASE("the signed-in page has a form per action, each with the token", "[manager][page]") {
    PageOptions o;
    o.mode = PageMode::Actions;
    o.self_path = "/zdu-manager";
    o.token = "tok123";
    const std::string page = render_status_page(sample(), o);
    const std::string row = row_of(page, "i1");
    for (const char* cmd :
         {"enable-instance", "disable-instance", "stop-instance", "drain-instance"}) {
        CHECK_THAT(row, Catch::Contains(std::string("value=\"") + cmd + "\""));
    }
    for (const char* cmd : {"enable-domain", "disable-domain", "stop-domain", "drain-domain",
                            "set-active-version", "start-canary", "stop-canary",
                            "enable-web-module", "disable-web-module", "drain-web-module"}) {
        CHECK_THAT(page, Catch::Contains(std::string("value=\"") + cmd + "\""));
    }
    std::size_t forms = 0;
    std::size_t tokens = 0;
    for (auto p = page.find("<form"); p != std::string::npos; p = page.find("<form", p + 1)) {
        ++forms;
        const std::string form = page.substr(p, page.find("</form>", p) - p);
        if (form.find("name=\"token\" value=\"tok123\"") != std::string::npos) ++tokens;
    }
    CHECK(forms > 5);
    CHECK(tokens == forms);
    CHECK_THAT(page, Catch::Contains("action=\"/zdu-manager?sign-out\""));
    CHECK_THAT(page, !Catch::Contains("name=\"secret\""));
}

TEST_CASE("the sign-in page shows the form and no data", "[manager][page]") {
    PageOptions o;
    o.mode = PageMode::SignIn;
    o.self_path = "/zdu-manager";
    const std::string page = render_status_page(sample(), o);
    CHECK_THAT(page, Catch::Contains("action=\"/zdu-manager?sign-in\""));
    CHECK_THAT(page, Catch::Contains("type=\"password\" name=\"secret\""));
    CHECK_THAT(page, !Catch::Contains("shop"));
    CHECK_THAT(page, !Catch::Contains("name=\"token\""));
}

TEST_CASE("JSON is answered when Accept prefers it", "[manager][page]") {
    CHECK(prefers_json("application/json"));
    CHECK(prefers_json("application/json, text/plain;q=0.5"));
    CHECK(prefers_json("application/json, */*;q=0.1"));
    CHECK_FALSE(prefers_json(""));
    CHECK_FALSE(prefers_json("*/*"));
    CHECK_FALSE(prefers_json("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
    CHECK_FALSE(prefers_json("text/html, application/json;q=0.9"));
    CHECK_FALSE(prefers_json("application/json;q=0.5, */*"));
}
