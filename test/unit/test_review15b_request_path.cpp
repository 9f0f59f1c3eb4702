// The request path's shortcuts against the long ways they replace: a new session's pick in the
// first version tried (the round-robin turn it takes), a Cookie pair's end without the walk by
// character, the one-name Set-Cookie parse, and ZduBackendHeaders' argument rules.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "headers/backend_headers.hpp"
#include "routing/header_text.hpp"
#include "routing/session_route.hpp"
#include "routing/set_cookie.hpp"

using namespace zdu;

namespace {

// The Cookie pair end as it was before the ';' shortcut: a walk by character, a ',' ends a
// pair unless it is inside a value's quotes, ';' always does.
std::size_t reference_separator(std::string_view s, std::size_t from) {
    for (std::size_t i = from; i < s.size(); ++i) {
        if (s[i] == ';' || s[i] == ',') return i;
    }
    return std::string_view::npos;
}

std::size_t reference_quoted_end(std::string_view header, std::size_t open) {
    std::size_t i = open + 1;
    while (i < header.size() && header[i] != '"' && header[i] != ';') ++i;
    if (i == header.size() || header[i] == ';') return std::string_view::npos;
    ++i;
    while (i < header.size() && routing::is_ows(header[i])) ++i;
    if (i == header.size() || header[i] == ';' || header[i] == ',') return i;
    return std::string_view::npos;
}

std::size_t reference_pair_end(std::string_view header) {
    std::size_t i = 0;
    while (i < header.size() && header[i] != '=' && header[i] != ';' && header[i] != ',') ++i;
    if (i < header.size() && header[i] == '=') {
        std::size_t v = i + 1;
        while (v < header.size() && routing::is_ows(header[v])) ++v;
        if (v < header.size() && header[v] == '"') {
            const std::size_t end = reference_quoted_end(header, v);
            if (end != std::string_view::npos) {
                return end == header.size() ? std::string_view::npos : end;
            }
        }
    }
    return reference_separator(header, i);
}

// What find_route_sources reads from a Cookie header, the reference way.
routing::RouteSources reference_sources(std::string_view header) {
    routing::RouteSources s;
    while (!header.empty()) {
        const auto end = reference_pair_end(header);
        const std::string_view pair = header.substr(0, end);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos) {
            const auto name = routing::trim_ows(pair.substr(0, eq));
            const auto value = routing::unquote(routing::trim_ows(pair.substr(eq + 1)));
            if (name == "JROUTE" && s.jroute.empty()) {
                s.jroute = value;
            } else if (name == "JSESSIONID" && s.session_id.empty()) {
                s.session_id = value;
            } else if (name == "JREPLICA" && s.replica.empty()) {
                s.replica = value;
            } else if (name == "ZDU_PIN" && s.pin.empty()) {
                s.pin = value;
            }
        }
        if (end == std::string_view::npos) break;
        header.remove_prefix(end + 1);
    }
    return s;
}

std::string random_header(std::mt19937& rng, const std::vector<std::string>& tokens, int most) {
    std::uniform_int_distribution<int> length(0, most);
    std::uniform_int_distribution<std::size_t> pick(0, tokens.size() - 1);
    std::string h;
    for (int n = length(rng); n > 0; --n) h += tokens[pick(rng)];
    return h;
}

}  // namespace

TEST_CASE("Cookie pairs end where they ended before the ';' shortcut", "[routing][review15b]") {
    const std::vector<std::string> tokens = {
        "JROUTE", "JSESSIONID", "JREPLICA", "ZDU_PIN", "a",   "=",       "\"",  ";",
        ",",      " ",          "\t",       "r1",      "x,y", "\"q;r\"", "=\"", ", "};
    std::mt19937 rng(15);
    std::vector<std::string> differ;
    for (int k = 0; k < 50000; ++k) {
        const std::string h = random_header(rng, tokens, 14);
        const auto got = routing::find_route_sources(h, "/app/x", "JSESSIONID");
        const auto want = reference_sources(h);
        if (got.jroute != want.jroute || got.session_id != want.session_id ||
            got.replica != want.replica || got.pin != want.pin) {
            differ.push_back(h);
        }
    }
    INFO("first header read differently: " << (differ.empty() ? "" : differ.front()));
    CHECK(differ.empty());
}

TEST_CASE("quoted and joined Cookie values after the shortcut", "[routing][review15b]") {
    auto sources = [](std::string_view h) {
        return routing::find_route_sources(h, "/app/x", "JSESSIONID");
    };
    // httpd joins two Cookie lines with ", ": the ',' ends the first pair.
    CHECK(sources("JSESSIONID=abc, JROUTE=r2; x=1").jroute == "r2");
    CHECK(sources("JSESSIONID=abc, JROUTE=r2; x=1").session_id == "abc");
    // A quoted id with a ',' keeps it; a ';' inside quotes still ends the pair.
    CHECK(sources("JSESSIONID=\"a,b\"; JROUTE=r1").session_id == "a,b");
    CHECK(sources("JSESSIONID=\"a;b\"; JROUTE=r1").jroute == "r1");
    CHECK(sources("=x; JROUTE=r3").jroute == "r3");
    CHECK(sources("JROUTE=").jroute.empty());
}

namespace {

// The Set-Cookie parse as it was before the one-pass rewrite.
bool reference_deletes_attr(std::string_view attr) {
    const char first = attr.empty() ? '\0' : static_cast<char>(attr[0] | 0x20);
    if (first != 'm' && first != 'e') return false;
    if (routing::starts_with_nocase(attr, "max-age=")) {
        std::string_view v = attr.substr(8);
        return !v.empty() && (v[0] == '0' || v[0] == '-');
    }
    if (routing::starts_with_nocase(attr, "expires=")) {
        return attr.find("1970") != std::string_view::npos;
    }
    return false;
}

routing::SetCookie reference_set_cookie(std::string_view header) {
    routing::SetCookie c;
    auto semi = header.find(';');
    auto eq = header.find('=');
    if (!(eq < semi)) return c;
    std::string_view pair = header.substr(0, semi);
    c.name = routing::trim_ows(pair.substr(0, eq));
    const std::string_view raw = routing::trim_ows(pair.substr(eq + 1));
    c.value = routing::unquote(raw);
    c.deletes = raw.empty() || raw == "\"\"";
    while (semi != std::string_view::npos && !c.deletes) {
        header.remove_prefix(semi + 1);
        semi = header.find(';');
        c.deletes = reference_deletes_attr(routing::trim_ows(header.substr(0, semi)));
    }
    return c;
}

}  // namespace

TEST_CASE("the one-pass Set-Cookie parse reads what the old one read", "[routing][review15b]") {
    const std::vector<std::string> tokens = {"JSESSIONID",
                                             "=",
                                             "abc",
                                             "\"",
                                             ";",
                                             " ",
                                             "\t",
                                             "Max-Age=0",
                                             "max-age=-",
                                             "MAX-AGE=30",
                                             "Expires=Thu, 01 Jan 1970",
                                             "expires=2030",
                                             "Path=/",
                                             "m",
                                             "E",
                                             "Secure",
                                             ";;",
                                             "HttpOnly",
                                             "\"\"",
                                             ","};
    std::mt19937 rng(1515);
    std::vector<std::string> differ;
    for (int k = 0; k < 50000; ++k) {
        const std::string h = random_header(rng, tokens, 10);
        const auto want = reference_set_cookie(h);
        const auto all = routing::parse_set_cookie(h);
        const auto mine = routing::parse_set_cookie(h, "JSESSIONID");
        const auto other = routing::parse_set_cookie(h, "OTHER");
        bool same = all.name == want.name && all.value == want.value &&
                    all.deletes == want.deletes && mine.name == want.name &&
                    other.name == want.name && routing::set_cookie_name(h) == want.name &&
                    other.value.empty() && !other.deletes;
        if (want.name == "JSESSIONID") {
            same = same && mine.value == want.value && mine.deletes == want.deletes;
        } else {
            same = same && mine.value.empty() && !mine.deletes;
        }
        if (!same) differ.push_back(h);
    }
    INFO("first Set-Cookie read differently: " << (differ.empty() ? "" : differ.front()));
    CHECK(differ.empty());
}

namespace {

headers::BackendHeaders configured(std::initializer_list<const char*> args) {
    headers::BackendHeaders h;
    for (const char* a : args) REQUIRE(h.apply(a).empty());
    return h;
}

bool any_of(const headers::HeaderSelection& s) {
    return s.jroute || s.ip || s.keysize || s.auth_cert || s.forwarded_proto;
}

}  // namespace

TEST_CASE("ZduBackendHeaders arguments in any order and case", "[headers][review15b]") {
    // "none" then "auto": auto alone.
    auto h = configured({"none", "AUTO"});
    CHECK_FALSE(any_of(h.select(false, false)));
    CHECK(h.select(true, false).ip);
    // A name then "none": none, auto included.
    h = configured({"Proxy-ip", "none"});
    CHECK_FALSE(any_of(h.select(true, false)));
    CHECK_FALSE(any_of(h.select(false, true)));
    // A line naming one header, a later line "auto": both.
    h = configured({"Proxy-jroute", "auto"});
    CHECK(h.select(false, false).jroute);
    CHECK(h.select(false, true).forwarded_proto);
    // "All" in any case; over plain HTTP the TLS-only ones stay off.
    h = configured({"All"});
    const auto plain = h.select(false, false);
    CHECK((plain.jroute && plain.ip && plain.forwarded_proto));
    CHECK_FALSE((plain.keysize || plain.auth_cert));
    // A name given alone is sent even where auto would not send it, and only it.
    h = configured({"X-Forwarded-Proto"});
    CHECK(h.select(false, false).forwarded_proto);
    CHECK_FALSE(h.select(true, true).ip);
    // An empty argument is no header.
    headers::BackendHeaders bad;
    CHECK_FALSE(bad.apply("").empty());
}
