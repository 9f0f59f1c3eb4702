// A stale session meets a retired instance: its instance is gone (removed, or its drain
// deadline passed) and no replica holds it. The old session id is not handed to another
// version: the session and route cookies are expired, the table ends the session, and the
// client goes where the web-module's stale-session says (its entry page by default).
#pragma once

#include "mod_zdu/httpd.hpp"
#include "mod_zdu/request/context.hpp"

namespace zdu::glue {

// pre_request, for Decision::Kind::Stale of a web-module whose stale-session is not
// `failover`: the status to answer with (302 to the entry page or the error-url's answer).
int answer_stale_session(request_rec* r, RequestContext& ctx);

}  // namespace zdu::glue
