// How often one client request may be sent to another instance after a failure, across
// mod_proxy's retry loop (connect failures) and mod_zdu's internal redirects (resets and
// timeouts, after the request was sent): one count of retries spent, one limit per kind.
//
// A response timeout is retried only for an idempotent-url-pattern (up to its no-of-retries):
// the application may still be working on the request, and retrying a slow request on every
// instance multiplies the load exactly when the cluster is struggling. Connect failures and
// resets keep the GlassFish rules: the pattern's no-of-retries, else GET, HEAD and OPTIONS until
// instances run out, else never.
#pragma once

#include <string_view>

#include "config/model.hpp"
#include "routing/retry_policy.hpp"
#include "state/instance_health.hpp"

namespace zdu::routing {

struct RetryLimits {
    int after_failure = 0;  // connect failure or reset: kRetryUnlimited, 0 or a count
    int after_timeout = 0;  // response timeout: only with a matching pattern
};

// The limits of a request of `method` for `path_in_module` (see path_in_module()).
RetryLimits retry_limits(const config::WebModule& module, std::string_view method,
                         std::string_view path_in_module);

// Whether a failed attempt can be sent again in full through an internal redirect: after a reset
// or a timeout (connect failures are retried by mod_proxy's own loop), when mod_proxy answered a
// gateway error (502, 503, 504; its 500 has already closed the client connection), for a main
// request without a body (the body has been read and sent once).
bool resendable(state::Failure why, int status, bool has_body, bool subrequest);

// Trivially destructible: it lives in the request's pool-allocated context.
class RetryBudget {
  public:
    // Retries spent by earlier internal redirects of the same client request.
    void carry_over(const RetryBudget& earlier) { spent_ = earlier.spent_; }

    // The limits are worked out on the first failure: most requests never fail.
    bool limits_known() const { return limits_known_; }
    void set_limits(const RetryLimits& limits) {
        limits_ = limits;
        limits_known_ = true;
    }

    // Spends one retry if a failure of this kind may be retried once more; set_limits() first.
    bool try_spend(state::Failure why);

    int spent() const { return spent_; }
    int limit(state::Failure why) const;

  private:
    RetryLimits limits_;
    int spent_ = 0;
    bool limits_known_ = false;
};

}  // namespace zdu::routing
