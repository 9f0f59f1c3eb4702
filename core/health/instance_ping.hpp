// Where a health ping of an instance goes, one rule for the active checker and the manager's
// cmd=ping: an HTTP GET on the instance's first http:// listener of the path the cluster's
// <health-checker url> names.
#pragma once

#include <string>
#include <string_view>

#include "config/model.hpp"
#include "health/http_ping.hpp"

namespace zdu::health {

// The path (with any query) a ping requests for a health-checker url. The url is meant as a
// path ("/health"; "health" counts as "/health"; empty is "/"). A full http:// or https:// URL
// contributes only its path: the ping always goes to each instance's own listener, never to
// the host the URL names.
std::string ping_path(std::string_view health_checker_url);

// The target of pinging `instance` of `cluster`; false when the instance has no http://
// listener (https:// listeners are not pinged).
bool instance_ping_target(const config::Cluster& cluster, const config::Instance& instance,
                          PingTarget& out);

}  // namespace zdu::health
