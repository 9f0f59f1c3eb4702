// Paths a servlet container would resolve outside the context root they were routed by.
#pragma once

#include <string_view>

namespace zdu::routing {

// Whether `path` (as httpd hands it to translate_name: decoded once, "/./" and "/../" already
// resolved) has a segment that is "." or ".." once its ";params" are removed. httpd leaves
// "/app/..;/admin" alone, but Catalina (Tomcat, GlassFish, Payara) strips each segment's
// parameters before it resolves dot segments, and so serves "/admin". Besides '/', a '\' and
// an encoded slash or backslash ("%2F", "%5C", kept by AllowEncodedSlashes NoDecode) end a
// segment too: some containers decode or convert them before resolving.
bool has_dot_segment(std::string_view path);

}  // namespace zdu::routing
