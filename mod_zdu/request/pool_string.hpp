// Strings the request path builds in the request pool.
#pragma once

#include <cstring>
#include <initializer_list>
#include <string_view>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// The pieces joined into one NUL-terminated string in `pool`: one allocation, each piece
// measured once (apr_pstrcat measures every argument twice, and the request path knows most
// lengths already: config strings are std::string).
inline char* pool_concat(apr_pool_t* pool, std::initializer_list<std::string_view> pieces) {
    std::size_t size = 1;
    for (std::string_view piece : pieces) size += piece.size();
    auto* out = static_cast<char*>(apr_palloc(pool, size));
    char* at = out;
    for (std::string_view piece : pieces) {
        std::memcpy(at, piece.data(), piece.size());
        at += piece.size();
    }
    *at = '\0';
    return out;
}

}  // namespace zdu::glue
