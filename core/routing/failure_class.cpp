#include "routing/failure_class.hpp"

namespace zdu::routing {
namespace {
constexpr int kServerError = 500;
constexpr int kServiceUnavailable = 503;
constexpr int kGatewayTimeout = 504;
}  // namespace

state::Failure classify(const AttemptFacts& facts) {
    if (facts.timed_out) return state::Failure::Timeout;
    if (facts.status < kServerError || facts.answered) return state::Failure::None;
    if (facts.status == kServiceUnavailable && facts.worker_in_error && !facts.error_notes) {
        return state::Failure::Connect;
    }
    // No response: a reset or close (mod_proxy_http answers 500 and errors the worker when a
    // fresh connection closes without one), a bad response, or a failed send of the body.
    return state::Failure::Reset;
}

int client_status(state::Failure why, int status) {
    return why == state::Failure::Timeout ? kGatewayTimeout : status;
}

}  // namespace zdu::routing
