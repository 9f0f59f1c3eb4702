// What a client gets when its request cannot be served: first another try (an internal
// redirect, for idempotent requests with retries left), else the web-module's error-url —
// a redirect when it is a URL, else a page from ZduErrorPageDir — else the plain status.
#pragma once

#include "mod_zdu/httpd.hpp"
#include "mod_zdu/request/context.hpp"

namespace zdu::glue {

// True when the request was sent again through an internal redirect (and answered).
bool retry_as_redirect(request_rec* r, RequestContext& ctx, int status);

// The status to answer with: 302 with Location for a URL error-url; `status` otherwise, with
// the error page set as its body when one is configured and readable.
int apply_error_url(request_rec* r, const WebModuleRuntime& wm, int status);

// Retries spent by the internal redirects that led to this request.
int prior_retries(const request_rec* r);

// Whether one more retry is allowed after `retries_done` (routing::retry_limit of the request).
bool may_retry(RequestContext& ctx, request_rec* r, int retries_done);

}  // namespace zdu::glue
