// Small text helpers for HTTP header values (Cookie, Set-Cookie) and request paths.
#pragma once

#include <string_view>

namespace zdu::routing {

// HTTP optional white space: space and tab.
inline bool is_ows(char c) {
    return c == ' ' || c == '\t';
}

// Strips optional white space from both ends.
inline std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

// A cookie value without its quotes, if it has both: the Cookie and the Set-Cookie parsers
// must agree on it, the session table is written with one and read with the other.
inline std::string_view unquote(std::string_view v) {
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
    return v;
}

inline char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// ASCII case-insensitive equality (header and parameter names are ASCII).
inline bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

inline bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

}  // namespace zdu::routing
