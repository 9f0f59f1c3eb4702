// The overrides of a runtime: instances whose shared record holds an admin state the manager
// set (disable/stop), which the xml does not know about and a push must not silently undo.
#pragma once

#include <vector>

#include "manager/status.hpp"
#include "mod_zdu/config/runtime.hpp"

namespace zdu::glue {

// In config order; none for a null runtime.
std::vector<manager::Override> overrides_of(const Runtime* rt);

// Sets every override of `rt` back to active (the xml decides again) and returns what it
// cleared; the parent writes the state file when it sees the change.
std::vector<manager::Override> reset_overrides(const Runtime* rt);

}  // namespace zdu::glue
