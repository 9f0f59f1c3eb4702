// The checks a config passes beyond the loader's, at start-up (ZduConfigFile) and on every
// reload alike: route ids that clash, policy modules that do not load.
#pragma once

#include <string>

#include "config/model.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// The first problem found, or an empty string.
std::string check_clusters(const config::LoadBalancer& lb, apr_pool_t* p);

}  // namespace zdu::glue
