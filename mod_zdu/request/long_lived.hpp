// Long-lived requests (WebSocket upgrades, server-sent events) keep their instance from being
// drained while they last: counted in the instance's long_lived gauge from the moment they are
// seen until the request's pool goes. Status shows the gauge.
#pragma once

#include "mod_zdu/httpd.hpp"
#include "mod_zdu/request/context.hpp"

namespace zdu::glue {

// pre_request: a WebSocket (any Upgrade) request.
void note_upgrade_request(request_rec* r, RequestContext& ctx);
// The response filter: an event stream.
void note_event_stream(request_rec* r, RequestContext& ctx);

}  // namespace zdu::glue
