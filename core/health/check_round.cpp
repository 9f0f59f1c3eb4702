#include "health/check_round.hpp"

#include <algorithm>
#include <limits>

namespace zdu::health {

bool should_ping(const CheckPolicy& policy, bool healthy, bool ping_running) {
    return !ping_running && (!healthy || policy.check_healthy);
}

Verdict judge(const CheckPolicy& policy, bool healthy, std::uint32_t failures, bool answered) {
    using Kind = Verdict::Kind;
    if (answered) return {healthy ? Kind::StillHealthy : Kind::Recovered, 0};
    const std::uint32_t now_failing =
        failures == std::numeric_limits<std::uint32_t>::max() ? failures : failures + 1;
    if (!healthy) return {Kind::StillDown, now_failing};
    return {
        now_failing >= std::max<std::uint32_t>(policy.retries, 1) ? Kind::Failed : Kind::Failing,
        now_failing};
}

}  // namespace zdu::health
