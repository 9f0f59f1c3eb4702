#include "state/instance_health.hpp"

namespace zdu::state {

std::string_view failure_name(Failure f) {
    switch (f) {
        case Failure::None:
            return "none";
        case Failure::Connect:
            return "connect failed";
        case Failure::Timeout:
            return "response timeout";
        case Failure::Reset:
            return "connection reset";
        case Failure::CheckFailed:
            return "health check failed";
    }
    return "unknown";
}

bool mark_unhealthy(SharedRecord& r, Failure why, std::int64_t now_ms) {
    r.failures.fetch_add(1, std::memory_order_relaxed);
    r.last_error.store(static_cast<std::uint32_t>(why), std::memory_order_relaxed);
    r.last_error_ms.store(now_ms, std::memory_order_relaxed);
    std::int64_t healthy = 0;
    return r.unhealthy_since_ms.compare_exchange_strong(healthy, now_ms > 0 ? now_ms : 1,
                                                        std::memory_order_acq_rel);
}

bool mark_healthy(SharedRecord& r, std::int64_t now_ms) {
    r.check_failures.store(0, std::memory_order_relaxed);
    r.failure_streak.store(0, std::memory_order_relaxed);
    std::int64_t since = r.unhealthy_since_ms.load(std::memory_order_acquire);
    while (since != 0) {
        if (r.unhealthy_since_ms.compare_exchange_weak(since, 0, std::memory_order_acq_rel)) {
            r.unhealthy_total_ms.fetch_add(now_ms > since ? now_ms - since : 0,
                                           std::memory_order_relaxed);
            return true;
        }
    }
    return false;
}

std::uint64_t folded_response_time(std::uint64_t average, std::uint64_t micros) {
    return average == 0 ? micros : average - average / 8 + micros / 8;
}

void note_response_time(SharedRecord& r, std::uint64_t micros) {
    std::uint64_t old = r.response_time_us.load(std::memory_order_relaxed);
    // On failure compare_exchange_weak reloads `old`: the sample is folded into the newest one.
    while (!r.response_time_us.compare_exchange_weak(old, folded_response_time(old, micros),
                                                     std::memory_order_relaxed)) {
    }
}

}  // namespace zdu::state
