// Turns the clusters of the config into mod_proxy balancers with one worker per instance, so
// mod_proxy_http forwards over pooled keep-alive connections and mod_proxy_balancer keeps the
// workers' state in shared memory.
#pragma once

#include <string>

#include "config/model.hpp"
#include "config/settings.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// Defines the balancers and workers in the mod_proxy config of `s`, each balancer with room for
// ZduGrowth more workers (spare_balancers.hpp reserves it once every directive is read).
// Returns an error message, or an empty string.
std::string define_balancers(const config::LoadBalancer& lb, server_rec* s, apr_pool_t* p);

}  // namespace zdu::glue
