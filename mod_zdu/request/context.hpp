// Per-request state, allocated in the request pool: trivially destructible on purpose, since APR
// pools run no destructors.
#pragma once

#include <type_traits>

#include "mod_zdu/config/runtime.hpp"
#include "routing/retry_budget.hpp"
#include "routing/router.hpp"
#include "routing/session_route.hpp"
#include "sessions/session_store.hpp"
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
    // Session tracking (session_tracking.hpp): the session the request carries (hash 0: none),
    // what the table said of it in translate_name, and its instance there (-1: none).
    sessions::SessionKey session;
    sessions::Binding binding;
    int table_home;
    // The table binds the session to an instance this config no longer has (a graceful
    // restart forgot a removed one): a stale session.
    bool home_gone;
    // The side door (side_door.hpp): an instance or version a trusted client asked for; -1.
    int side_door_instance;
    int side_door_version;
    bool logout;         // the path matches the web-module's logout-url-pattern
    bool long_lived;     // counted in its instance's long_lived gauge until the request ends
    bool pin_checked;    // the pin cookie was verified (once, when a session starts)
    int pinned_version;  // what it named, -1: none or invalid
};
static_assert(std::is_trivially_destructible_v<RequestContext>);

inline RequestContext* request_context(request_rec* r) {
    return static_cast<RequestContext*>(ap_get_module_config(r->request_config, &zdu_module));
}

}  // namespace zdu::glue
