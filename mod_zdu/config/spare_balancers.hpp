// Spare balancers for clusters a reload adds. A balancer (and its slotmem) can only be made at
// start-up, so ZduSpareClusters balancers with no member and ZduGrowth free worker slots each are
// defined then; a new cluster is mapped onto one of them through a claim in shared memory
// (state/spare_claims.hpp), the same in every child. The spare keeps its name
// ("balancer://zdu-spare-<i>") for as long as the server runs; the next graceful restart gives
// the cluster a balancer of its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

std::string spare_balancer_url(int index);

// Start-up, after every directive was read and before mod_proxy_balancer sizes the slotmems
// (check_config): gives every balancer of ours its growth and defines the spare balancers.
// Returns an error message, or an empty string.
std::string reserve_balancer_room(server_rec* s, apr_pool_t* pconf);
// Registers the check_config hook that calls it.
void register_balancer_room();

// In a child, off the request path: the spare balancer `cluster` runs on, claimed for it if it
// has none yet. Null, with `error` set, past the reserve ("cluster C needs a balancer but the
// spare balancers (ZduSpareClusters=N) are used up; a graceful restart is needed").
proxy_balancer* claim_spare_balancer(server_rec* s, std::string_view cluster, std::string& error);

// What a reload of a config with the clusters `wanted` (their names, none with a balancer of
// its own) would need: empty when every one has a spare claimed or enough unclaimed spares are
// left, else the message claim_spare_balancer would give. Claims nothing.
std::string check_spare_room(server_rec* s, const std::vector<std::string>& wanted);

// The spare balancer `cluster` runs on, or null when it has none yet. Claims nothing.
proxy_balancer* claimed_spare_balancer(server_rec* s, std::string_view cluster);

// Spare balancers claimed in this generation, of how many; for the status JSON.
struct SpareUsage {
    int used = 0;
    int total = 0;
};
SpareUsage spare_usage();

}  // namespace zdu::glue
