// `lbxml-gen validate FILE...`: loads each loadbalancer.xml as mod_zdu would and reports every
// problem as FILE:LINE: message.
#pragma once

#include <CLI/App.hpp>

namespace lbxml_gen {

// Adds the subcommand to `app`; when it runs, it stores the process exit code in `exit_code`
// (0 all valid, 1 any error), which must outlive the parse.
void add_validate_command(CLI::App& app, int& exit_code);

}  // namespace lbxml_gen
