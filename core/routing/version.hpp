// Application versions of a cluster's instances: their order (new sessions go to the highest
// version unless the cluster names one) and the plan compiled from the cluster's attributes.
#pragma once

#include <string_view>

namespace zdu::routing {

// <0, 0, >0 like strcmp. Dotted numbers compare numerically part by part ("1.10" > "1.9",
// "2.0.1" > "2.0"); when either side is not dotted digits, as plain text.
int compare_versions(std::string_view a, std::string_view b);

// [A-Za-z0-9._-]{1,64}: safe in a cookie, a status document and a command argument.
bool valid_version(std::string_view text);

// The cluster's version choices as indexes into ClusterRoutes::versions(); -1: not named.
struct VersionPlan {
    int active = -1;  // active-version; -1: the highest version with an instance taking sessions
    int canary = -1;  // canary-version
    int canary_percent = 0;

    bool canary_on() const { return canary >= 0 && canary_percent > 0; }
};

}  // namespace zdu::routing
