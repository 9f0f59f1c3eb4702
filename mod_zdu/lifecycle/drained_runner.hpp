// Runs ZduDrainedCommand for an instance that became drained: started without a shell and never
// waited for, so the sweep (and no request) ever blocks on it; finished commands are reaped on
// later sweep ticks and their exit status is logged. Only the sweep's thread calls these.
#pragma once

#include <string>
#include <vector>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// Starts argv[0] (an absolute path) with `argv`; `what` names the instance in the log lines.
// False when it could not be started (logged).
bool start_drained_command(const std::vector<std::string>& argv, const std::string& what,
                           server_rec* s);

// Logs and forgets the commands that have exited since the last call; returns how many still
// run.
std::size_t reap_drained_commands(server_rec* s);

}  // namespace zdu::glue
