#include "routing/retry_budget.hpp"

namespace zdu::routing {
namespace {

bool idempotent_method(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

int pattern_limit(int no_of_retries) {
    return no_of_retries < 0 ? kRetryUnlimited : no_of_retries;
}

bool is_gateway_error(int status) {
    return status == 502 || status == 503 || status == 504;
}

}  // namespace

RetryLimits retry_limits(const config::WebModule& module, std::string_view method,
                         std::string_view path) {
    for (const auto& p : module.idempotent_url_patterns) {
        if (url_pattern_matches(p.url_pattern, path)) {
            const int limit = pattern_limit(p.no_of_retries);
            return {limit, limit};
        }
    }
    return {idempotent_method(method) ? kRetryUnlimited : 0, 0};
}

bool resendable(state::Failure why, int status, bool has_body, bool subrequest) {
    const bool after_sending = why == state::Failure::Reset || why == state::Failure::Timeout;
    return after_sending && is_gateway_error(status) && !has_body && !subrequest;
}

int RetryBudget::limit(state::Failure why) const {
    return why == state::Failure::Timeout ? limits_.after_timeout : limits_.after_failure;
}

bool RetryBudget::try_spend(state::Failure why) {
    if (why == state::Failure::None || !limits_known_) return false;
    const int allowed = limit(why);
    if (allowed != kRetryUnlimited && spent_ >= allowed) return false;
    ++spent_;
    return true;
}

}  // namespace zdu::routing
