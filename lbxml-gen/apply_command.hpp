// apply-http-lb-changes: generates the load balancer's loadbalancer.xml from the cluster
// description and pushes it, two-phase, to every front-end of the load balancer.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace lbxml_gen {

void add_apply_command(CLI::App& app, int& exit_code);

// The manager secret held in `path`: its content without the trailing line end. Throws
// std::runtime_error naming the file when it cannot be read or is empty.
std::string read_secret_file(const std::string& path);

}  // namespace lbxml_gen
