// lbxml-gen rollout: runs an upgrade of one cluster from a version to the next on a
// description and its load balancer, step by step (rollout_plan.hpp), each step an edit of the
// description, an apply to every front-end and a check of their status. Progress is kept in a
// state file beside the description so --resume continues and --rollback reverses.
#pragma once

#include <CLI/CLI.hpp>

namespace lbxml_gen {

void add_rollout_command(CLI::App& app, int& exit_code);

}  // namespace lbxml_gen
