// The overrides of a runtime: what the manager set that the xml does not say and a push must
// not silently undo. Instances and web-modules with an admin state other than active
// (disable/stop, drain, disable-web-module), and the clusters' set-active-version and
// start/stop-canary words.
#pragma once

#include <vector>

#include "manager/status.hpp"
#include "mod_zdu/config/runtime.hpp"

namespace zdu::glue {

// Instances in config order, then web-modules, then version overrides; none for a null runtime.
std::vector<manager::Override> overrides_of(const Runtime* rt);

// Clears every override of `rt` (the xml decides again) and returns what it cleared; the
// parent writes the state file when it sees the change.
std::vector<manager::Override> reset_overrides(const Runtime* rt);

}  // namespace zdu::glue
