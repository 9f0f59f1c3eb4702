// Writes the model as loadbalancer.xml in GlassFish's element order, with its DOCTYPE and the
// "This file was generated on" footer. load(write(m)) == m.
#pragma once

#include <string>
#include <string_view>

#include "config/model.hpp"

namespace zdu::config {

// `generated_on` goes into the footer comment as is (callers pass a date string).
std::string write_xml(const LoadBalancer& lb, std::string_view generated_on);

}  // namespace zdu::config
