// What a reload changes, for its one log line: instances added, removed, enabled, disabled and
// reweighted, clusters and web-modules added and removed, and whether anything else moved.
// Instances are named "cluster/instance".
#pragma once

#include <string>
#include <vector>

#include "config/model.hpp"

namespace zdu::config {

struct ConfigCounts {
    std::size_t clusters = 0;
    std::size_t instances = 0;
    std::size_t web_modules = 0;
};
ConfigCounts count(const LoadBalancer& lb);

struct ConfigDiff {
    std::vector<std::string> clusters_added, clusters_removed;
    std::vector<std::string> instances_added, instances_removed;
    std::vector<std::string> instances_enabled, instances_disabled;
    std::vector<std::string> weights;                                 // "c1/i1 100->200"
    std::vector<std::string> web_modules_added, web_modules_removed;  // "c1/app"
    // Anything else: listeners, timeouts, routes, health checks, properties, web-module
    // settings.
    bool other = false;

    bool empty() const;
};

ConfigDiff diff(const LoadBalancer& before, const LoadBalancer& after);

// "instances added c1/i4; weights c1/i1 100->200" (each list at most a few names, then
// "+N more"); "no change" when empty, "other settings" when only `other` moved.
std::string describe(const ConfigDiff& d);

}  // namespace zdu::config
