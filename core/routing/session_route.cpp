#include "routing/session_route.hpp"

namespace zdu::routing {
namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string_view unquote(std::string_view v) {
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
    return v;
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string_view after_last(std::string_view s, char sep) {
    auto pos = s.rfind(sep);
    return pos == std::string_view::npos ? std::string_view() : s.substr(pos + 1);
}

std::string_view after_first(std::string_view s, char sep) {
    auto pos = s.find(sep);
    return pos == std::string_view::npos ? std::string_view() : s.substr(pos + 1);
}

}  // namespace

std::string_view cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto semi = header.find(';');
        std::string_view pair = header.substr(0, semi);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name) {
            return unquote(trim(pair.substr(eq + 1)));
        }
        if (semi == std::string_view::npos) break;
        header.remove_prefix(semi + 1);
    }
    return {};
}

std::string_view path_parameter(std::string_view path, std::string_view name) {
    auto end_of_path = path.find_first_of("?#");
    path = path.substr(0, end_of_path);
    for (auto semi = path.find(';'); semi != std::string_view::npos; semi = path.find(';')) {
        path.remove_prefix(semi + 1);
        auto eq = path.find('=');
        if (eq == std::string_view::npos) break;
        if (iequals(path.substr(0, eq), name)) {
            std::string_view value = path.substr(eq + 1);
            return value.substr(0, value.find_first_of(";/"));
        }
    }
    return {};
}

RouteSources find_route_sources(std::string_view cookie_header, std::string_view path,
                                std::string_view session_cookie) {
    RouteSources s;
    s.jroute = cookie_value(cookie_header, "JROUTE");
    std::string_view path_session = path_parameter(path, "jsessionid");
    s.path_route = after_last(path_session, ':');
    std::string_view cookie_session = cookie_value(cookie_header, session_cookie);
    s.tomcat_route = after_last(cookie_session, '.');
    s.websphere_ids = after_first(cookie_session, ':');
    s.session_id = cookie_session.empty() ? path_session : cookie_session;
    s.replica = cookie_value(cookie_header, "JREPLICA");
    if (s.replica.empty()) s.replica = path_parameter(path, "jreplica");
    return s;
}

}  // namespace zdu::routing
