// The new-session policy of a cluster other than (weighted) round-robin: the adaptive policy,
// or a user-defined policy module loaded from policy-module.
#pragma once

#include <memory>
#include <string>

#include "config/model.hpp"
#include "mod_zdu/httpd.hpp"
#include "routing/new_session_policy.hpp"

namespace zdu::glue {

// Null for round-robin and weighted-round-robin (the router's built-in schedule), and on error
// (`error` then says why, naming the cluster and the module path).
std::unique_ptr<routing::NewSessionPolicy> make_policy(const config::Cluster& cluster,
                                                       apr_pool_t* pool, std::string& error);

}  // namespace zdu::glue
