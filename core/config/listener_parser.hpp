// Parsing of one word of an instance's `listeners` attribute.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "config/model.hpp"

namespace zdu::config {

// "scheme://host:port" with scheme http, https or ajp, a host name, IPv4 address or bracketed
// IPv6 address, and a port in 1..65535. On failure: why, naming the offending text.
std::variant<Listener, std::string> parse_listener(std::string_view text);

}  // namespace zdu::config
