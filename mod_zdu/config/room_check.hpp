// Whether a reload of a config would find room in this server's balancers: a balancer (its own
// or a spare) for every cluster and enough free worker slots for every new listener. The same
// limits build_runtime enforces, checked without taking anything, so a push-validate refuses
// what a push-commit would have to refuse (after other front-ends committed it).
#pragma once

#include <string>

#include "config/model.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// Why a reload of `cluster` is refused when it needs `missing` new workers and its balancer has
// `free` slots left.
std::string growth_refusal(const std::string& cluster, int missing, int free);

// Empty when there is room, else why not (the message a reload would log).
std::string check_room(const config::LoadBalancer& lb, server_rec* s);

}  // namespace zdu::glue
