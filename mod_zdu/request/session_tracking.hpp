// Session tracking without any backend agent: the sessions mod_zdu learns from the session
// cookie the backend sets, kept in the shared-memory session table (sessions/session_table.hpp)
// with their instance and idle deadline, and ended on the signals of the issue: an expired
// cookie, a logout-url-pattern, the app's X-Zdu-Session-End header, a new id handed to a client
// that sent another. Idle expiry is the sweep's (lifecycle/sweeper.hpp).
#pragma once

#include "mod_zdu/httpd.hpp"
#include "mod_zdu/request/context.hpp"

namespace zdu::glue {

// The response header an application sends to end the request's session; never reaches the
// client.
inline constexpr const char* kSessionEndHeader = "X-Zdu-Session-End";

// translate_name: what the table knows of the request's session (ctx.session, ctx.binding,
// ctx.table_home) and whether the path is a logout URL. No write.
void look_up_session(request_rec* r, RequestContext& ctx);

// pre_request, once the instance is chosen: a tracked session's idle deadline moves (at most one
// write a second); a session the table does not know, honoured by its route, is recorded as
// untracked on that instance. Deadlines run from ctx.attempt_start, which pre_request sets first.
void note_routed_session(request_rec* r, RequestContext& ctx);

// What the response filter saw of the session cookie in the backend's Set-Cookie headers.
struct SessionCookieSeen {
    std::string_view created;  // value of a new session cookie; empty when none
    bool deleted = false;      // the backend expired the session cookie
    bool end_header = false;   // the response holds X-Zdu-Session-End
};

// The response filter: records a session the backend created and ends the one a signal ends;
// strips X-Zdu-Session-End. Whether the response started a new session (the version pin is
// given only then).
bool learn_from_response(request_rec* r, RequestContext& ctx, const SessionCookieSeen& seen);

// Whether instance `i` of the request's cluster is in a drain (sessions made there are
// counted as created while draining).
bool instance_draining(const RequestContext& ctx, int i);

}  // namespace zdu::glue
