// The admin commands that edit a cluster description in place, with GlassFish asadmin's names
// and options (create-http-lb-config, enable-http-lb-server, configure-lb-weight, ...), plus
// ours for upgrades (create-http-lb-instance, set-http-lb-active-version, set-http-lb-canary,
// ...) and the list commands. Every editing command loads the file given with --description
// (or $ZDU_CLUSTER_DESCRIPTION), makes its edit with core/description/commands, checks that the
// result loads again, and writes it atomically, keeping the previous copy as FILE.bak.
#pragma once

#include <CLI/App.hpp>
#include <functional>
#include <string>

#include "description/commands.hpp"

namespace lbxml_gen {

// Adds every admin and list subcommand; when one runs it stores the exit code in `exit_code`
// (0 done, 1 refused or invalid input), which must outlive the parse.
void add_admin_commands(CLI::App& app, int& exit_code);

// Loads the description at `path`, runs `edit` on it and, when it succeeds, writes the result
// over `path` (previous copy as `path`.bak). Prints the outcome; returns the exit code. Nothing
// is written when the file does not load, the edit is refused or its result would not load.
int edit_description_file(
    const std::string& path,
    const std::function<zdu::description::EditResult(zdu::description::Description&)>& edit);

}  // namespace lbxml_gen
