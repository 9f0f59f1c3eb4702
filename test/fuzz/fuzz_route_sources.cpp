// The request-side cookie and route parsers: the Cookie header (JROUTE, the session cookie,
// JREPLICA, ZDU_PIN), the ;jsessionid= and ;jreplica= path parameters, the route suffixes of a
// session id, and the route lookup over a cluster's instances.
// Input: "<session cookie name>\n<path>\n<Cookie header>".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/model.hpp"
#include "fuzz_support.hpp"
#include "manager/page_session.hpp"
#include "routing/cluster_routes.hpp"
#include "routing/router.hpp"
#include "routing/session_route.hpp"
#include "sessions/session_store.hpp"

using namespace zdu;
using zdu::fuzz::within;

namespace {

const routing::ClusterRoutes& routes() {
    static const routing::ClusterRoutes r = [] {
        config::Cluster c;
        c.name = "cluster1";
        for (const char* name : {"i1", "i2", "i3"}) {
            config::Instance i;
            i.name = name;
            c.instances.push_back(i);
        }
        c.instances[2].route = "r3";  // an explicit route next to derived ones
        return routing::ClusterRoutes(c);
    }();
    return r;
}

bool has_any(std::string_view s, std::string_view chars) {
    return s.find_first_of(chars) != std::string_view::npos;
}

// A value read from the Cookie header: no ';', and a ',' only between the quotes it came in.
bool cookie_value_ok(std::string_view v, std::string_view cookie) {
    if (has_any(v, ";")) return false;
    return !has_any(v, ",") || fuzz::quoted_within(v, cookie);
}

void check_sources(const routing::RouteSources& s, std::string_view cookie, std::string_view path) {
    // Cookie values end at ';' or ',' (httpd joins Cookie lines with ", "), but for a ',' in
    // a quoted value; path parameter values at ';' or '/' and never reach the query.
    ZDU_FUZZ_CHECK(within(s.jroute, cookie) && cookie_value_ok(s.jroute, cookie));
    ZDU_FUZZ_CHECK(within(s.pin, cookie) && cookie_value_ok(s.pin, cookie));
    // The Tomcat suffix ends the session id, the cookie's or the path parameter's.
    ZDU_FUZZ_CHECK(within(s.tomcat_route, s.session_id) && !has_any(s.tomcat_route, "."));
    ZDU_FUZZ_CHECK(within(s.websphere_ids, cookie) && !has_any(s.websphere_ids, ";"));
    ZDU_FUZZ_CHECK(within(s.path_route, path) && !has_any(s.path_route, ";/?#:"));
    ZDU_FUZZ_CHECK(within(s.session_id, cookie) || within(s.session_id, path));
    ZDU_FUZZ_CHECK(within(s.replica, cookie) || within(s.replica, path));
    if (within(s.session_id, path) && !s.session_id.empty()) {
        ZDU_FUZZ_CHECK(!has_any(s.session_id, ";/?#"));
    }
    if (within(s.session_id, cookie) && !s.session_id.empty()) {
        ZDU_FUZZ_CHECK(cookie_value_ok(s.session_id, cookie));
    }
    // A route suffix is the end of the id it came from.
    if (!s.tomcat_route.empty()) {
        ZDU_FUZZ_CHECK(s.session_id.size() > s.tomcat_route.size());
        ZDU_FUZZ_CHECK(s.session_id.substr(s.session_id.size() - s.tomcat_route.size()) ==
                       s.tomcat_route);
    }
    unsigned ids = 0;
    routing::for_each_clone_id(s.websphere_ids, [&](std::string_view id) {
        ZDU_FUZZ_CHECK(!id.empty() && within(id, s.websphere_ids) && !has_any(id, ":"));
        ++ids;
        return false;
    });
    ZDU_FUZZ_CHECK(ids <= s.websphere_ids.size());
}

void check_stripped(std::string_view id) {
    const std::string_view stripped = sessions::strip_route_suffix(id);
    ZDU_FUZZ_CHECK(within(stripped, id) && stripped.data() == id.data());
    if (stripped.size() < id.size()) {
        ZDU_FUZZ_CHECK(!stripped.empty() && !has_any(stripped, ".:"));
        ZDU_FUZZ_CHECK(id[stripped.size()] == '.' || id[stripped.size()] == ':');
    }
    // The same session whatever route a failover appends.
    const auto key = sessions::session_key(7, 11, id);
    ZDU_FUZZ_CHECK(key.hash != 1 && (key.hash == 0) == stripped.empty());
    ZDU_FUZZ_CHECK(sessions::session_key(7, 11, stripped) == key);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in = fuzz::as_text(data, size);
    const std::string_view session_cookie = fuzz::next_field(in);
    const std::string_view path = fuzz::next_field(in);
    const std::string_view cookie = in;

    const routing::RouteSources s = routing::find_route_sources(cookie, path, session_cookie);
    check_sources(s, cookie, path);
    check_stripped(s.session_id);

    const int named = routing::named_instance(routes(), s);
    ZDU_FUZZ_CHECK(named >= -1 && named < static_cast<int>(routes().size()));
    if (named >= 0) {
        // Only a route the request carries names an instance.
        const std::string& route = routes().route(named);
        ZDU_FUZZ_CHECK(cookie.find(route) != std::string_view::npos ||
                       path.find(route) != std::string_view::npos);
    }

    // The status page's own cookie reader, over the same header (a copy: it wants a C string).
    const std::string header(cookie);
    const std::string value = manager::cookie_value(header.c_str(), session_cookie);
    ZDU_FUZZ_CHECK(value.empty() || header.find(value) != std::string::npos);
    return 0;
}
