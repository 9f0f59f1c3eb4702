// `lbxml-gen diff OLD NEW`: what changed between two loadbalancer.xml files, as an operator
// reads it before applying: clusters, instances added/removed/enabled/disabled, weights,
// versions (instance, active, canary), web-modules, other settings.
#pragma once

#include <CLI/App.hpp>
#include <string>
#include <vector>

#include "config/model.hpp"

namespace lbxml_gen {

// One line per change, in file order of NEW ("instance added c1/i4 (version 2.0, weight
// 100)"); empty when the two are equal for operators and otherwise.
std::vector<std::string> describe_changes(const zdu::config::LoadBalancer& before,
                                          const zdu::config::LoadBalancer& after);

void add_diff_command(CLI::App& app, int& exit_code);

}  // namespace lbxml_gen
