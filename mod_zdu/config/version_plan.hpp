// The version plan a cluster routes new sessions by: the xml's (ClusterRoutes::plan()) with the
// manager's set-active-version / canary overrides from the cluster's shared record applied, so
// every child routes by the same override the moment one child sets it.
#pragma once

#include "mod_zdu/config/runtime.hpp"
#include "routing/version.hpp"

namespace zdu::glue {

routing::VersionPlan effective_plan(const ClusterRuntime& cluster);

}  // namespace zdu::glue
