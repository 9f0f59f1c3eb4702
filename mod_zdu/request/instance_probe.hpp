// What an instance may do right now for one request: gathers the facts (mod_proxy's worker
// status, the shared health record, the manager's admin state, the config, the instances this
// request already failed on) for the core's predicates (routing/instance_availability.hpp),
// which the router asks as serves/takes.
#pragma once

#include <cstdint>

#include "mod_zdu/config/runtime.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

class InstanceProbe {
  public:
    // tried: null, or one flag per instance of `cluster` (RequestContext::tried).
    InstanceProbe(const Runtime& rt, const ClusterRuntime& cluster, server_rec* s,
                  std::int64_t now_ms, const unsigned char* tried)
        : rt_(rt), cluster_(cluster), server_(s), now_ms_(now_ms), tried_(tried) {}

    // Healthy and reachable; an unhealthy instance of a cluster without active checks gets
    // another try after mod_proxy's retry interval.
    bool usable(int i) const;
    // May serve requests of its existing sessions (quiesce deadline not passed, not stopped).
    bool serves(int i) const;
    // May take a session it has not seen (enabled, weight > 0, not disabled by the manager).
    bool takes(int i) const;
    // Its sessions are gone for good: its drain deadline passed (removed ones included).
    bool retired(int i) const;

  private:
    void recovered(int i) const;

    const Runtime& rt_;
    const ClusterRuntime& cluster_;
    server_rec* server_;
    std::int64_t now_ms_;
    const unsigned char* tried_;
};

// Looked up once in post_config: mod_proxy's "may an errored worker be tried again" function.
void bind_worker_retry();

}  // namespace zdu::glue
