// Turns the clusters of the config into mod_proxy balancers with one worker per instance, so
// mod_proxy_http forwards over pooled keep-alive connections and mod_proxy_balancer keeps the
// workers' state in shared memory.
#pragma once

#include <string>

#include "config/model.hpp"
#include "config/settings.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// Room left in each balancer for instances a later reload adds without a restart.
constexpr int kBalancerGrowth = 16;

// Defines the balancers and workers in the mod_proxy config of `s`. Returns an error message,
// or an empty string.
std::string define_balancers(const config::LoadBalancer& lb, server_rec* s, apr_pool_t* p);

}  // namespace zdu::glue
