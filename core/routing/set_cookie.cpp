#include "routing/set_cookie.hpp"

#include "routing/header_text.hpp"

namespace zdu::routing {
namespace {

// attr starts with 'm' or 'e', in any case.
bool attribute_deletes(std::string_view attr) {
    if (starts_with_nocase(attr, "max-age=")) {
        std::string_view v = attr.substr(8);
        return !v.empty() && (v[0] == '0' || v[0] == '-');
    }
    if (starts_with_nocase(attr, "expires=")) return attr.find("1970") != std::string_view::npos;
    return false;
}

// The '=' that ends the cookie's name, if it comes before the first attribute.
std::size_t name_end(std::string_view header, std::size_t semi) {
    auto eq = header.find('=');
    return eq < semi ? eq : std::string_view::npos;
}

// The value after `eq` and whether the attributes from `semi` on delete the cookie.
void read_value(SetCookie& c, std::string_view header, std::size_t eq, std::size_t semi) {
    const std::string_view raw = trim_ows(header.substr(eq + 1, semi - (eq + 1)));
    c.value = unquote(raw);  // as the Cookie parser reads it back (session_route.cpp)
    c.deletes = raw.empty() || raw == "\"\"";
    // Only Max-Age and Expires can delete: any other attribute costs a look at its first letter.
    for (std::size_t at = semi; at != std::string_view::npos && !c.deletes;
         at = header.find(';', at + 1)) {
        std::size_t start = at + 1;
        while (start < header.size() && is_ows(header[start])) ++start;
        if (start >= header.size()) break;
        const char first = static_cast<char>(header[start] | 0x20);
        if (first != 'm' && first != 'e') continue;
        const std::size_t end = header.find(';', start);
        c.deletes = attribute_deletes(trim_ows(header.substr(start, end - start)));
    }
}

}  // namespace

std::string_view set_cookie_name(std::string_view header) {
    auto eq = name_end(header, header.find(';'));
    return eq == std::string_view::npos ? std::string_view{} : trim_ows(header.substr(0, eq));
}

// The whole parse is the one-name parse asked for the header's own name (off the request path:
// the response filter asks for the session cookie's).
SetCookie parse_set_cookie(std::string_view header) {
    return parse_set_cookie(header, set_cookie_name(header));
}

SetCookie parse_set_cookie(std::string_view header, std::string_view only) {
    SetCookie c;
    auto semi = header.find(';');
    auto eq = name_end(header, semi);
    if (eq == std::string_view::npos) return c;
    c.name = trim_ows(header.substr(0, eq));
    if (c.name == only) read_value(c, header, eq, semi);
    return c;
}

}  // namespace zdu::routing
