#include "manager/status.hpp"

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
    s.live_sessions = record.live_sessions.load(relaxed);
    s.untracked_sessions = record.untracked_sessions.load(relaxed);
    s.drain_created = record.drain_created.load(relaxed);
    s.sessions_ended = record.sessions_ended.load(relaxed);
    s.sessions_expired = record.sessions_expired.load(relaxed);
    s.long_lived = record.long_lived.load(relaxed);
    s.draining_since_ms = record.draining_since_ms.load(relaxed);
    s.drained_since_ms = record.drained_since_ms.load(relaxed);
    return s;
}

}  // namespace zdu::manager
