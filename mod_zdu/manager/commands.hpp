// Runs one checked manager command against this process's runtime and the shared records.
#pragma once

#include <string>

#include "manager/command.hpp"
#include "mod_zdu/config/runtime.hpp"
#include "mod_zdu/httpd.hpp"
#include "mod_zdu/reload/snapshot.hpp"

namespace zdu::glue {

struct ManagerAnswer {
    int status = HTTP_OK;
    std::string json;
    std::string outcome;  // one line for the log
};

// `snap` (the snapshot the request pinned) is null when no ZduConfigFile is loaded: the proxy
// still answers pings, and every instance or domain is unknown.
ManagerAnswer run_command(const manager::Command& command, const Snapshot* snap);

}  // namespace zdu::glue
