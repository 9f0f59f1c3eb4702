// The version pin cookie on the request path (sessions/version_pin.hpp): checked only when the
// request starts a session and carries one; set when a session starts on the canary version.
#pragma once

#include "mod_zdu/httpd.hpp"
#include "mod_zdu/request/context.hpp"

namespace zdu::glue {

// How long a pin lasts in the browser and is accepted after it was issued.
inline constexpr std::int64_t kPinMaxAgeSeconds = 30 * 24 * 3600;

// The version index of the cluster a valid pin names; -1 when none, forged or off. Checked
// once per request.
int pinned_version(request_rec* r, RequestContext& ctx);

// The response filter, when the backend started a session on the canary version: the browser
// keeps that version for its later new sessions.
void set_pin_cookie(request_rec* r, const RequestContext& ctx);

}  // namespace zdu::glue
