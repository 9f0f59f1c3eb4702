// The rules of loadbalancer.xml that its DTD cannot express: unique names, ranges, a context root
// mapped to one cluster only, known properties with sensible values.
#pragma once

#include <string>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/model.hpp"

namespace zdu::config {

// Appends one Diagnostic per broken rule; unknown properties are warnings, the rest errors.
void check_model(const LoadBalancer& lb, const std::string& file,
                 std::vector<Diagnostic>& diagnostics);

}  // namespace zdu::config
