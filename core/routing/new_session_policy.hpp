// The policy that picks an instance for a new session when it is not the built-in (weighted)
// round-robin: the adaptive policy (live load) or a user-defined policy module.
#pragma once

#include <cstdint>
#include <string_view>

#include "routing/cluster_routes.hpp"
#include "routing/function_ref.hpp"

namespace zdu::routing {

// What a policy may know of an instance right now.
struct InstanceLoad {
    std::uint64_t busy = 0;              // requests in flight (mod_proxy's count)
    std::uint64_t response_time_us = 0;  // recent average; 0 when unknown
    int weight = 100;
};

// What a policy may know of the request.
struct PolicyRequest {
    std::string_view method;
    std::string_view uri;
    std::string_view client_ip;
    std::string_view session_id;
};

class NewSessionPolicy {
  public:
    virtual ~NewSessionPolicy() = default;
    // An instance for which takes(i) holds, or -1. Called concurrently from many threads.
    virtual int pick(const ClusterRoutes& routes, const PolicyRequest& request,
                     FunctionRef<bool(int)> takes, FunctionRef<InstanceLoad(int)> load) = 0;
};

}  // namespace zdu::routing
