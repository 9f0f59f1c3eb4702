#include "routing/set_cookie.hpp"

#include "routing/header_text.hpp"

namespace zdu::routing {
namespace {

bool attribute_deletes(std::string_view attr) {
    // Path, HttpOnly, Secure, SameSite, Domain: one compare each.
    const char first = attr.empty() ? '\0' : static_cast<char>(attr[0] | 0x20);
    if (first != 'm' && first != 'e') return false;
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

}  // namespace

std::string_view set_cookie_name(std::string_view header) {
    auto eq = name_end(header, header.find(';'));
    return eq == std::string_view::npos ? std::string_view{} : trim_ows(header.substr(0, eq));
}

SetCookie parse_set_cookie(std::string_view header) {
    SetCookie c;
    auto semi = header.find(';');
    auto eq = name_end(header, semi);
    if (eq == std::string_view::npos) return c;
    std::string_view pair = header.substr(0, semi);
    c.name = trim_ows(pair.substr(0, eq));
    const std::string_view raw = trim_ows(pair.substr(eq + 1));
    c.value = unquote(raw);  // as the Cookie parser reads it back (session_route.cpp)
    c.deletes = raw.empty() || raw == "\"\"";
    while (semi != std::string_view::npos && !c.deletes) {
        header.remove_prefix(semi + 1);
        semi = header.find(';');
        c.deletes = attribute_deletes(trim_ows(header.substr(0, semi)));
    }
    return c;
}

}  // namespace zdu::routing
