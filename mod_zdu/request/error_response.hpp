// What a client gets when its request cannot be served: first another try (an internal
// redirect after a reset, or after a timeout for an idempotent-url-pattern, with retries
// left), else the web-module's error-url —
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

// For a request that mod_zdu sent again (retry_as_redirect): the retries already spent and
// the instances already tried by the requests before it.
void carry_over_retries(request_rec* r, RequestContext& ctx);

// Spends one retry of the request's budget (routing::RetryBudget) after a failure of this
// kind; false when none is left.
bool spend_retry(RequestContext& ctx, request_rec* r, state::Failure why);

}  // namespace zdu::glue
