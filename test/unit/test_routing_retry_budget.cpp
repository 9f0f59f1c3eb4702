// One client request's retries: limits per failure kind, spent across mod_proxy's retry loop and
// internal redirects.
#include <catch2/catch.hpp>

#include "routing/retry_budget.hpp"

using namespace zdu;
using routing::kRetryUnlimited;
using state::Failure;

namespace {

config::WebModule module_with_patterns() {
    config::WebModule wm;
    wm.context_root = "/app";
    wm.idempotent_url_patterns.push_back({"/search/*", 1, 0});
    wm.idempotent_url_patterns.push_back({"*.do", -1, 0});
    return wm;
}

routing::RetryBudget budget(const routing::RetryLimits& limits) {
    routing::RetryBudget b;
    b.set_limits(limits);
    return b;
}

}  // namespace

TEST_CASE("retry limits: the pattern first, then the method", "[routing][retry]") {
    const config::WebModule wm = module_with_patterns();
    auto limits = [&](const char* method, const char* path) {
        const routing::RetryLimits l = routing::retry_limits(wm, method, path);
        return std::make_pair(l.after_failure, l.after_timeout);
    };
    CHECK(limits("GET", "/search/a") == std::make_pair(1, 1));
    CHECK(limits("POST", "/search/a") == std::make_pair(1, 1));
    CHECK(limits("POST", "/x.do") == std::make_pair(kRetryUnlimited, kRetryUnlimited));
    CHECK(limits("GET", "/other") == std::make_pair(kRetryUnlimited, 0));
    CHECK(limits("HEAD", "/other") == std::make_pair(kRetryUnlimited, 0));
    CHECK(limits("OPTIONS", "/other") == std::make_pair(kRetryUnlimited, 0));
    CHECK(limits("POST", "/other") == std::make_pair(0, 0));
}

TEST_CASE("a timed-out plain GET is never retried, a reset one is", "[routing][retry]") {
    routing::RetryBudget b = budget(routing::retry_limits(module_with_patterns(), "GET", "/x"));
    CHECK_FALSE(b.try_spend(Failure::Timeout));
    CHECK(b.spent() == 0);
    for (int i = 0; i < 100; ++i) CHECK(b.try_spend(Failure::Connect));
    CHECK(b.try_spend(Failure::Reset));
    CHECK(b.spent() == 101);
}

TEST_CASE("no-of-retries caps every kind of retry together", "[routing][retry]") {
    routing::RetryBudget b = budget({1, 1});
    CHECK(b.try_spend(Failure::Timeout));
    CHECK_FALSE(b.try_spend(Failure::Timeout));
    CHECK_FALSE(b.try_spend(Failure::Connect));
    CHECK(b.spent() == 1);
    CHECK(b.limit(Failure::Timeout) == 1);
}

TEST_CASE("a budget spends nothing before its limits are known, nor for no failure",
          "[routing][retry]") {
    routing::RetryBudget unknown;
    CHECK_FALSE(unknown.limits_known());
    CHECK_FALSE(unknown.try_spend(Failure::Connect));
    routing::RetryBudget b = budget({kRetryUnlimited, kRetryUnlimited});
    CHECK_FALSE(b.try_spend(Failure::None));
}

TEST_CASE("an internal redirect carries the retries spent before it", "[routing][retry]") {
    routing::RetryBudget first = budget({2, 0});
    CHECK(first.try_spend(Failure::Reset));
    routing::RetryBudget second;
    second.carry_over(first);
    second.set_limits({2, 0});
    CHECK(second.spent() == 1);
    CHECK(second.try_spend(Failure::Reset));
    CHECK_FALSE(second.try_spend(Failure::Reset));
}

TEST_CASE("only resets and timeouts answered with a gateway error are resent", "[routing][retry]") {
    using routing::resendable;
    CHECK(resendable(Failure::Reset, 502, false, false));
    CHECK(resendable(Failure::Timeout, 502, false, false));
    CHECK(resendable(Failure::Timeout, 504, false, false));
    CHECK_FALSE(resendable(Failure::Connect, 503, false, false));  // mod_proxy's own loop
    CHECK_FALSE(resendable(Failure::Reset, 500, false, false));    // client connection closed
    CHECK_FALSE(resendable(Failure::Reset, 502, true, false));     // the body is gone
    CHECK_FALSE(resendable(Failure::Reset, 502, false, true));     // a subrequest
    CHECK_FALSE(resendable(Failure::None, 502, false, false));
}
