// The status document: one JSON text, built here only, that the manager's cmd=status and the
// read-only SetHandler zdu-status both answer with.
#pragma once

#include <string>

#include "manager/status.hpp"
#include "mod_zdu/manager/commands.hpp"
#include "mod_zdu/reload/snapshot.hpp"

namespace zdu::glue {

// Every cluster of `snap` (null: none loaded), or only the one named `cluster`; false when
// `cluster` names none.
bool collect_status(const Snapshot* snap, const std::string& cluster, manager::StatusData& out);

// Every cluster of `snap` (null: none loaded), or only the one named `cluster` (404 when there is
// none). `started` is when the request's work began, for the document's "ms".
ManagerAnswer status_document(const Snapshot* snap, const std::string& cluster,
                              std::chrono::steady_clock::time_point started);

}  // namespace zdu::glue
