// The response-side cookie parsers: a backend's Set-Cookie header (name, value, whether it
// deletes the cookie), its Domain attribute when it names an instance host, and the JROUTE
// decision the response filter takes from them. Input: one Set-Cookie header value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/model.hpp"
#include "fuzz_support.hpp"
#include "routing/cookie_domain.hpp"
#include "routing/header_text.hpp"
#include "routing/route_cookie.hpp"
#include "routing/set_cookie.hpp"

using namespace zdu;
using zdu::fuzz::within;

namespace {

const routing::InstanceHosts& hosts() {
    static const routing::InstanceHosts h = [] {
        config::Cluster c;
        config::Instance i;
        i.name = "i1";
        i.listeners = {{config::Scheme::Http, "app1.example", 8080},
                       {config::Scheme::Ajp, "10.0.0.7", 8009}};
        c.instances.push_back(i);
        return routing::InstanceHosts(c);
    }();
    return h;
}

std::string lower(std::string_view s) {
    std::string out;
    for (char c : s) out += routing::ascii_lower(c);
    return out;
}

void check_set_cookie(std::string_view header) {
    const routing::SetCookie c = routing::parse_set_cookie(header);
    ZDU_FUZZ_CHECK(within(c.name, header) && within(c.value, header));
    ZDU_FUZZ_CHECK(routing::set_cookie_name(header) == c.name);
    // Asked for its own name, the one-name parse reads the same; for another, the name only.
    const routing::SetCookie same = routing::parse_set_cookie(header, c.name);
    ZDU_FUZZ_CHECK(same.name == c.name && same.value == c.value && same.deletes == c.deletes);
    // No cookie is named "=" (a name ends at the first '='): always another name.
    const routing::SetCookie other = routing::parse_set_cookie(header, "=");
    ZDU_FUZZ_CHECK(other.name == c.name && other.value.empty() && !other.deletes);
    ZDU_FUZZ_CHECK(c.name.find_first_of("=;") == std::string_view::npos);
    ZDU_FUZZ_CHECK(c.value.find(';') == std::string_view::npos);
    ZDU_FUZZ_CHECK(routing::trim_ows(c.name) == c.name);
    // The value is what the Cookie parser reads back: trimmed, then without its quotes.
    ZDU_FUZZ_CHECK(routing::trim_ows(c.value) == c.value || fuzz::quoted_within(c.value, header));
    if (header.find('=') == std::string_view::npos) ZDU_FUZZ_CHECK(c.name.empty() && !c.deletes);
    // A cookie with a value is deleted only by an attribute that says so.
    if (c.deletes && !c.value.empty() && c.value != "\"\"") {
        const std::string attrs = lower(header.substr(header.find(';')));
        ZDU_FUZZ_CHECK(attrs.find("max-age=") != std::string::npos ||
                       attrs.find("expires=") != std::string::npos);
    }

    routing::RouteCookieFacts f;
    f.routed = !header.empty() && header.back() != '!';
    f.moved = header.size() % 3 == 0;
    f.backend_set_jroute = c.name == "JROUTE";
    f.session_created = c.name == "JSESSIONID" && !c.deletes;
    f.session_deleted = c.name == "JSESSIONID" && c.deletes;
    f.client_jroute = c.value;
    f.route = "r1";
    const auto action = routing::route_cookie_action(f);
    if (!f.routed || f.backend_set_jroute)
        ZDU_FUZZ_CHECK(action == routing::RouteCookieAction::Keep);
    if (action == routing::RouteCookieAction::Expire) {
        ZDU_FUZZ_CHECK(f.session_deleted && !f.client_jroute.empty());
    }
}

void check_domain(std::string_view header) {
    const auto span = routing::instance_cookie_domain(header, hosts());
    if (!span) return;
    ZDU_FUZZ_CHECK(span->pos <= header.size() && span->len <= header.size() - span->pos);
    const std::string_view domain = header.substr(span->pos, span->len);
    ZDU_FUZZ_CHECK(hosts().contains(domain));
    // Never inside the cookie's own name=value pair.
    ZDU_FUZZ_CHECK(header.find(';') < span->pos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view header = fuzz::as_text(data, size);
    check_set_cookie(header);
    check_domain(header);
    return 0;
}
