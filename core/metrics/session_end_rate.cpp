#include "metrics/session_end_rate.hpp"

namespace zdu::metrics {

constexpr auto relaxed = std::memory_order_relaxed;

EndRate next_end_rate(const EndRate& before, std::uint64_t total, std::int64_t now_ms) {
    if (before.at_ms == 0 || total < before.total || now_ms < before.at_ms) {
        return {before.at_ms == 0 ? 0 : before.rate_micro, total, now_ms};
    }
    const std::int64_t dt = now_ms - before.at_ms;
    if (dt == 0) return before;
    // Sessions per second in millionths: delta * 1e6 / (dt / 1000). Kept this fine so that
    // rounding to whole units never holds the smoothed rate visibly short of a steady one.
    const double sample = static_cast<double>(total - before.total) * 1e9 / static_cast<double>(dt);
    const double weight = static_cast<double>(dt) / static_cast<double>(dt + kEndRateTauMs);
    const double old = static_cast<double>(before.rate_micro);
    const double rate = old + (sample - old) * weight;
    return {static_cast<std::uint64_t>(rate + 0.5), total, now_ms};
}

void sample_end_rate(state::SharedRecord& r, std::int64_t now_ms) {
    const EndRate before{r.end_rate_micro.load(relaxed), r.end_rate_total.load(relaxed),
                         r.end_rate_at_ms.load(relaxed)};
    const std::uint64_t total = r.sessions_ended.load(relaxed) + r.sessions_expired.load(relaxed);
    const EndRate after = next_end_rate(before, total, now_ms);
    r.end_rate_micro.store(after.rate_micro, relaxed);
    r.end_rate_total.store(after.total, relaxed);
    r.end_rate_at_ms.store(after.at_ms, relaxed);
}

std::optional<std::uint64_t> drain_estimate_s(std::uint64_t sessions, std::uint64_t rate_micro) {
    if (sessions == 0) return 0;
    if (rate_micro == 0) return std::nullopt;
    return (sessions * 1'000'000 + rate_micro - 1) / rate_micro;
}

}  // namespace zdu::metrics
