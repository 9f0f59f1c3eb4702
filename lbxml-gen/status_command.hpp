// lbxml-gen status: reads every front-end's status and prints one merged view (a table, or
// JSON), once or refreshed in place. The reading is exported for rollout, which checks each of
// its steps against the same view.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "status_merge.hpp"

namespace lbxml_gen {

void add_status_command(CLI::App& app, int& exit_code);

// The front-ends of load-balancer `lb_name` in the description at `path` and its secret (a
// relative secret-file is taken from the description's directory). Throws std::runtime_error
// (or DescriptionError) saying why not.
struct LbTarget {
    std::vector<std::string> urls;
    std::string secret;
    std::string lb_config_name;
};
LbTarget load_lb_target(const std::string& path, const std::string& lb_name);

// Every URL's status: a manager URL is asked for cmd=status, a URL with a query (a zdu-status
// location's "?json") is read as it is. `secret` (may be empty) goes in X-Zdu-Secret.
std::vector<FrontEndReading> read_statuses(const std::vector<std::string>& urls,
                                           const std::string& secret, Transport& transport);

}  // namespace lbxml_gen
