// Per-request state, allocated in the request pool: trivially destructible on purpose, since APR
// pools run no destructors.
#pragma once

#include <type_traits>

#include "mod_zdu/config/runtime.hpp"
#include "routing/router.hpp"
#include "routing/session_route.hpp"

namespace zdu::glue {

struct RequestContext {
    const Runtime* runtime;
    const WebModuleRuntime* web_module;
    const ClusterRuntime* cluster;
    routing::RouteSources sources;
    routing::Decision decision;
    bool tls;  // the client's connection; asked once, since mod_ssl answers through a hook
    bool filter_added;
    int attempts;            // pre_request calls for this request_rec (mod_proxy retries)
    bool retry_limit_known;  // retry_limit is worked out when first needed: most requests
    int retry_limit;         // never fail (see error_response.hpp)
    int prior_retries;       // retries spent by earlier internal redirects of this request
};
static_assert(std::is_trivially_destructible_v<RequestContext>);

inline RequestContext* request_context(request_rec* r) {
    return static_cast<RequestContext*>(ap_get_module_config(r->request_config, &zdu_module));
}

}  // namespace zdu::glue
