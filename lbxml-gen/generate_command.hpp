// `lbxml-gen generate`: writes the loadbalancer.xml of one lb-config of a cluster description,
// or, with no description at hand, of one cluster given on the command line.
#pragma once

#include <CLI/App.hpp>

namespace lbxml_gen {

// Adds the subcommand to `app`; when it runs, it stores the process exit code in `exit_code`
// (0 written, 1 invalid input, 2 usage error), which must outlive the parse.
void add_generate_command(CLI::App& app, int& exit_code);

}  // namespace lbxml_gen
