#include "routing/session_route.hpp"

#include <algorithm>

#include "routing/header_text.hpp"

namespace zdu::routing {
namespace {

std::string_view after_last(std::string_view s, char sep) {
    auto pos = s.rfind(sep);
    return pos == std::string_view::npos ? std::string_view() : s.substr(pos + 1);
}

std::string_view after_first(std::string_view s, char sep) {
    auto pos = s.find(sep);
    return pos == std::string_view::npos ? std::string_view() : s.substr(pos + 1);
}

// The first ';' or ',' from `from` on. (A loop: find_first_of costs a memchr per character,
// see path_only.)
std::size_t first_separator(std::string_view s, std::size_t from) {
    for (std::size_t i = from; i < s.size(); ++i) {
        if (s[i] == ';' || s[i] == ',') return i;
    }
    return std::string_view::npos;
}

// Where a value opened by the quote at `open` ends: at the separator (or the header's end)
// right after its closing quote, so a ',' inside stays in it. npos when the quotes make no
// value: no closing quote, a ';' before it, or more than OWS after it.
std::size_t quoted_value_end(std::string_view header, std::size_t open) {
    std::size_t i = open + 1;
    while (i < header.size() && header[i] != '"' && header[i] != ';') ++i;
    if (i == header.size() || header[i] == ';') return std::string_view::npos;
    ++i;  // past the closing quote
    while (i < header.size() && is_ows(header[i])) ++i;
    if (i == header.size() || header[i] == ';' || header[i] == ',') return i;
    return std::string_view::npos;
}

// Where the cookie pair at the start of `header` ends. ',' ends one as ';' does: httpd joins a
// client's several Cookie lines into one header with ", ", and RFC 6265 cookie values cannot
// hold a comma. App servers still set quoted ids with one ("a,b"): a ',' between a value's
// quotes stays in it, as it did before ',' ended a pair; ';' always ends one.
std::size_t quoted_pair_end(std::string_view header);

std::size_t pair_end(std::string_view header) {
    // Most pairs hold no ',' before the next ';': then that ';' ends them whatever the quotes
    // say (two memchr, no walk by character).
    const std::size_t semi = header.find(';');
    if (header.substr(0, semi).find(',') == std::string_view::npos) return semi;
    return quoted_pair_end(header);
}

// pair_end for a pair with a ',' in it: the ',' ends it unless it is inside quotes.
std::size_t quoted_pair_end(std::string_view header) {
    std::size_t i = 0;
    while (i < header.size() && header[i] != '=' && header[i] != ';' && header[i] != ',') ++i;
    if (i < header.size() && header[i] == '=') {
        std::size_t v = i + 1;
        while (v < header.size() && is_ows(header[v])) ++v;
        if (v < header.size() && header[v] == '"') {
            const std::size_t end = quoted_value_end(header, v);
            if (end != std::string_view::npos) {
                return end == header.size() ? std::string_view::npos : end;
            }
        }
    }
    return first_separator(header, i);
}

// Calls visit(name, value) for each cookie of a Cookie header until it returns true.
template <class Visit>
void for_each_cookie(std::string_view header, Visit visit) {
    while (!header.empty()) {
        auto end = pair_end(header);
        std::string_view pair = header.substr(0, end);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos &&
            visit(trim_ows(pair.substr(0, eq)), unquote(trim_ows(pair.substr(eq + 1))))) {
            return;
        }
        if (end == std::string_view::npos) break;
        header.remove_prefix(end + 1);
    }
}

// The path without its query or fragment. (find_first_of with several characters costs a
// memchr per character in libstdc++; two finds are one memchr each.)
std::string_view path_only(std::string_view path) {
    return path.substr(0, std::min(path.find('?'), path.find('#')));
}

// Calls visit(name, value) for each ;name=value parameter of a path until it returns true.
template <class Visit>
void for_each_path_parameter(std::string_view path, Visit visit) {
    path = path_only(path);
    for (auto semi = path.find(';'); semi != std::string_view::npos; semi = path.find(';')) {
        path.remove_prefix(semi + 1);
        auto eq = path.find('=');
        if (eq == std::string_view::npos) break;
        std::string_view value = path.substr(eq + 1);
        std::size_t end = 0;
        while (end < value.size() && value[end] != ';' && value[end] != '/') ++end;
        if (visit(path.substr(0, eq), value.substr(0, end))) return;
    }
}

}  // namespace

// One pass over the Cookie header and one over the path: this runs for every request.
RouteSources find_route_sources(std::string_view cookie_header, std::string_view path,
                                std::string_view session_cookie) {
    RouteSources s;
    std::string_view cookie_session, path_session, path_replica;
    for_each_cookie(cookie_header, [&](std::string_view name, std::string_view value) {
        if (name == "JROUTE" && s.jroute.empty()) {
            s.jroute = value;
        } else if (name == session_cookie && cookie_session.empty()) {
            cookie_session = value;
        } else if (name == "JREPLICA" && s.replica.empty()) {
            s.replica = value;
        } else if (name == "ZDU_PIN" && s.pin.empty()) {
            s.pin = value;
        }
        return false;
    });
    if (path.find(';') != std::string_view::npos) {
        for_each_path_parameter(path, [&](std::string_view name, std::string_view value) {
            if (path_session.empty() && iequals(name, "jsessionid")) path_session = value;
            if (path_replica.empty() && iequals(name, "jreplica")) path_replica = value;
            return false;
        });
    }
    s.path_route = after_last(path_session, ':');
    s.websphere_ids = after_first(cookie_session, ':');
    s.session_id = cookie_session.empty() ? path_session : cookie_session;
    // Of the path parameter too: Tomcat rewrites URLs for a browser without cookies as
    // ";jsessionid=<id>.<jvmRoute>".
    s.tomcat_route = after_last(s.session_id, '.');
    if (s.replica.empty()) s.replica = path_replica;
    return s;
}

}  // namespace zdu::routing
