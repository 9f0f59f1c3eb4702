#include "manager/status.hpp"

#include "metrics/response_times.hpp"
#include "metrics/session_end_rate.hpp"

namespace zdu::manager {

InstanceStatus read_status(const config::Instance& instance, const std::string& route,
                           const state::SharedRecord& record) {
    constexpr auto relaxed = std::memory_order_relaxed;
    InstanceStatus s;
    s.name = instance.name;
    s.route = route;
    s.domain = instance.domain;
    s.version = instance.version;
    s.weight = instance.weight;
    s.enabled = instance.enabled;
    s.admin_state = static_cast<state::AdminState>(record.admin_state.load(relaxed));
    s.unhealthy_since_ms = record.unhealthy_since_ms.load(relaxed);
    s.last_error = record.last_error.load(relaxed);
    s.requests = record.requests.load(relaxed);
    s.new_sessions = record.new_sessions.load(relaxed);
    s.failures = record.failures.load(relaxed);
    s.failures_in_a_row = record.failure_streak.load(relaxed);
    s.failovers = record.failovers.load(relaxed);
    s.retries = record.retries.load(relaxed);
    s.responses_5xx = record.responses_5xx.load(relaxed);
    s.live_sessions = record.live_sessions.load(relaxed);
    s.untracked_sessions = record.untracked_sessions.load(relaxed);
    s.drain_created = record.drain_created.load(relaxed);
    s.sessions_ended = record.sessions_ended.load(relaxed);
    s.sessions_expired = record.sessions_expired.load(relaxed);
    s.long_lived = record.long_lived.load(relaxed);
    s.draining_since_ms = record.draining_since_ms.load(relaxed);
    s.drained_since_ms = record.drained_since_ms.load(relaxed);
    const metrics::AnswerTimes times = metrics::answer_times(record);
    s.answered = times.count;
    s.answer_total_us = times.total_us;
    s.answer_max_us = times.max_us;
    s.answer_min_us = times.min_us;
    s.end_rate_micro = record.end_rate_micro.load(relaxed);
    return s;
}

WebModuleStatus read_web_module_status(const config::WebModule& web_module,
                                       const state::SharedRecord& record) {
    constexpr auto relaxed = std::memory_order_relaxed;
    WebModuleStatus s;
    s.context_root = web_module.context_root;
    s.enabled = web_module.enabled;
    s.requests = record.requests.load(relaxed);
    s.failures = record.failures.load(relaxed);
    s.failovers = record.failovers.load(relaxed);
    const metrics::AnswerTimes times = metrics::answer_times(record);
    s.answered = times.count;
    s.answer_total_us = times.total_us;
    s.answer_max_us = times.max_us;
    s.answer_min_us = times.min_us;
    return s;
}

std::uint64_t average_answer_us(const InstanceStatus& s) {
    return metrics::average_us({s.answered, s.answer_total_us, s.answer_max_us, s.answer_min_us});
}

std::optional<std::uint64_t> drain_estimate_s(const InstanceStatus& s) {
    if (s.state != lifecycle::Reported::Draining) return std::nullopt;
    return metrics::drain_estimate_s(s.live_sessions + s.untracked_sessions, s.end_rate_micro);
}

}  // namespace zdu::manager
