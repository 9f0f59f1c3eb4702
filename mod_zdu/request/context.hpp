// Per-request state, allocated in the request pool: trivially destructible on purpose, since APR
// pools run no destructors.
#pragma once

#include <type_traits>

#include "mod_zdu/config/runtime.hpp"
#include "routing/retry_budget.hpp"
#include "routing/router.hpp"
#include "routing/session_route.hpp"
#include "state/instance_health.hpp"

namespace zdu::glue {

struct RequestContext {
    const Runtime* runtime;
    const WebModuleRuntime* web_module;
    const ClusterRuntime* cluster;
    routing::RouteSources sources;
    routing::Decision decision;
    bool tls;  // the client's connection; asked once, since mod_ssl answers through a hook
    bool filter_added;
    int attempts;                  // pre_request calls for this request_rec (mod_proxy retries)
    routing::RetryBudget retries;  // shared with earlier internal redirects of this request
    // One flag per instance of the cluster, set once this client request failed there (also
    // across our internal redirects, which share r->pool): a retry goes elsewhere even while
    // the instance stays in rotation. Null until the first failure.
    unsigned char* tried;
    state::Failure failure;     // how the last attempt failed, for request_status
    bool failure_noted;         // that failure is already counted (pre_request saw it first)
    bool resent;                // request_status sent the request again as an internal redirect
    apr_time_t attempt_start;   // when pre_request sent it to the chosen instance
    apr_time_t response_start;  // when the response headers went out (the response filter)
};
static_assert(std::is_trivially_destructible_v<RequestContext>);

inline RequestContext* request_context(request_rec* r) {
    return static_cast<RequestContext*>(ap_get_module_config(r->request_config, &zdu_module));
}

}  // namespace zdu::glue
