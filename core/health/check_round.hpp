// What one health check means for an instance, as a pure decision: which instances a round
// pings, and what a ping's result turns an instance into. The glue applies the verdicts to the
// shared records and mod_proxy's worker status, and logs them.
#pragma once

#include <cstdint>

namespace zdu::health {

struct CheckPolicy {
    // active-healthcheck-enabled: healthy instances are pinged too, not only unhealthy ones.
    bool check_healthy = false;
    // number-healthcheck-retries: consecutive failed checks that make a healthy instance
    // unhealthy.
    std::uint32_t retries = 3;
};

// Whether a round pings the instance: every unhealthy one (to bring it back), healthy ones
// only with active checks, and never one whose previous ping is still running.
bool should_ping(const CheckPolicy& policy, bool healthy, bool ping_running);

struct Verdict {
    enum class Kind {
        StillHealthy,  // ping answered, nothing changes
        Recovered,     // was unhealthy, answered: back in rotation
        Failing,       // healthy, failed, fewer than `retries` failures in a row so far
        Failed,        // healthy, failed `retries` times in a row: out of rotation
        StillDown,     // unhealthy and still failing
    };
    Kind kind;
    std::uint32_t failures;  // consecutive failed checks after this one
};

// `failures`: consecutive failed checks before this one.
Verdict judge(const CheckPolicy& policy, bool healthy, std::uint32_t failures, bool answered);

}  // namespace zdu::health
