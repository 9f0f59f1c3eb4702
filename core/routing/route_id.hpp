// Route ids: short, opaque and stable names of instances, carried in JROUTE and session ids.
#pragma once

#include <string>
#include <string_view>

namespace zdu::routing {

// Derived from cluster and instance name only, so every front-end reading the same xml agrees and
// the id survives restarts and reloads; it reveals no host or port. 8 characters of [a-z2-7].
std::string derive_route_id(std::string_view cluster, std::string_view instance);

// An explicit route (xml extension) must fit in a cookie value and must not contain the
// separators that session-id suffixes use ('.', ':').
bool is_valid_route_id(std::string_view route);

}  // namespace zdu::routing
