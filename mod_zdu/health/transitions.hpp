// Applies the checker's verdicts where every process sees them: the instance's shared record
// (which mod_zdu's router reads) and mod_proxy's shared worker status (which mod_proxy reads),
// and logs each change once.
#pragma once

#include "health/http_ping.hpp"
#include "mod_zdu/health/plan.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// Healthy for both mod_zdu (its record) and mod_proxy (its worker not in error).
bool instance_healthy(const InstanceCheck& inst);

// Judges one ping's result and applies the verdict.
void apply_ping(const ClusterCheck& cluster, const InstanceCheck& inst,
                const health::PingResult& result, server_rec* s);

// An instance that cannot be pinged comes back after mod_proxy's retry interval, as it would
// in a cluster without a health checker.
void release_unpingable(const ClusterCheck& cluster, const InstanceCheck& inst, server_rec* s);

}  // namespace zdu::glue
