// What kind of failure one attempt to forward a request ended in, from plain facts the glue
// reads off mod_proxy (no httpd header here). Only failures the proxy saw count: a 5xx the
// application answered is a response, not a sick instance.
#pragma once

#include "state/instance_health.hpp"

namespace zdu::routing {

struct AttemptFacts {
    bool timed_out = false;        // mod_proxy_http's "proxy_timedout" note: no response in time
    bool worker_in_error = false;  // mod_proxy put the worker in error (it does on 503 and 500)
    int status = 0;                // the attempt's status as mod_proxy reports it to post_request
    bool error_notes = false;      // ap_proxyerror() left "error-notes": the proxy made the 5xx
    // The backend's response reached the client's filters (or ProxyErrorOverride replaced it):
    // its status is the application's. Without it a 5xx is the proxy's, with or without notes
    // (mod_proxy answers 502 or 504 without any when sending the request body fails).
    bool answered = false;
};

// Timeout, Connect (mod_proxy could not connect: 503 with the worker in error), Reset (any other
// proxy-made 5xx: a connection reset, also while sending the body, or a bad response), or None
// (below 500, or answered by the application).
state::Failure classify(const AttemptFacts& facts);

// The status a client gets for a failure that is not retried: 504 for a response timeout
// (mod_proxy_http reports 502 for it), the attempt's status otherwise.
int client_status(state::Failure why, int status);

}  // namespace zdu::routing
