// The side door: an operator reaches a version or an instance on purpose before it takes user
// traffic (even a disabled one), by sending X-Zdu-Version or X-Zdu-Instance from an address of
// ZduSideDoorClients. From any other address the headers are ignored; from every address they
// are removed before the request goes on, so no backend ever sees them.
#pragma once

#include "mod_zdu/httpd.hpp"
#include "mod_zdu/request/context.hpp"

namespace zdu::glue {

inline constexpr const char* kSideDoorVersionHeader = "X-Zdu-Version";
inline constexpr const char* kSideDoorInstanceHeader = "X-Zdu-Instance";

// translate_name: sets ctx.side_door_instance / ctx.side_door_version (-1: none) and strips
// the headers; `version` and `instance` are their values as the request sent them, or null.
void open_side_door(request_rec* r, RequestContext& ctx, const char* version, const char* instance);

}  // namespace zdu::glue
