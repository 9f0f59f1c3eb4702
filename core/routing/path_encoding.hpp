// The path mod_zdu forwards under AllowEncodedSlashes NoDecode, encoded from r->uri.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace zdu::routing {

// With NoDecode httpd decodes every escape of the path except "%2F", which stays as text: in
// r->uri a "%2F" (either case) is an encoded slash, and any other '%' is a literal percent
// sign (the client sent "%25"). Encodes `uri` as mod_proxy's path encoding does (letters,
// digits and ~$-_.+!*'(),;:@&=/ as they are, every other byte %XX), keeping "%2F" and
// sending other '%' as "%25". ap_proxy_canonenc_ex with PROXY_CANONENC_NOENCODEDSLASHENCODING
// does the same but refuses (400) a '%' that is not followed by two hex digits, such as the
// decoded "/100%25". (A client's "%252F" also reads "%2F" in r->uri: httpd keeps no trace of
// the difference, so it is forwarded as an encoded slash.)
// Writes at most 3 * uri.size() bytes to `out` (no terminator) and returns how many.
std::size_t encode_path_keeping_encoded_slashes(std::string_view uri, char* out);

// Whether every byte of `uri` is one mod_proxy's path encoding keeps as it is (letters, digits,
// ~$-_.+!*'(),;:@&=/): then the encoded path is `uri` itself, under either AllowEncodedSlashes
// mode, and the request path need not copy it. A table lookup per byte.
bool path_is_plain(std::string_view uri) noexcept;

// The same, as a string (for tests and tools; the request path uses the buffer form).
std::string encode_path_keeping_encoded_slashes(std::string_view uri);

}  // namespace zdu::routing
