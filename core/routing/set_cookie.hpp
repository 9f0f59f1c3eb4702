// Reading the backend's Set-Cookie headers: which cookie a header sets and whether it deletes it.
#pragma once

#include <string_view>

namespace zdu::routing {

struct SetCookie {
    std::string_view name;
    std::string_view value;  // without its quotes, as the client's Cookie gives it
    bool deletes = false;    // empty value, Max-Age<=0, or an Expires in 1970
};

SetCookie parse_set_cookie(std::string_view header);

// The name always; the value and deletion only when the name is `only` (else left empty and
// false): one pass over the cookies a response sets, reading attributes of one of them only.
SetCookie parse_set_cookie(std::string_view header, std::string_view only);

// Only the name: enough to pass over the cookies we do not care about without reading their
// attributes.
std::string_view set_cookie_name(std::string_view header);

}  // namespace zdu::routing
