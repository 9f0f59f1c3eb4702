#include "state/state_carry.hpp"

#include <utility>

#include "state/record_keys.hpp"

namespace zdu::state {
namespace {

constexpr auto relaxed = std::memory_order_relaxed;

template <typename T>
void copy(const std::atomic<T>& from, std::atomic<T>& to) {
    to.store(from.load(relaxed), relaxed);
}

}  // namespace

InstanceState capture_instance(std::string cluster, std::string instance, const SharedRecord& r,
                               std::int64_t now_ms) {
    InstanceState s;
    s.cluster = std::move(cluster);
    s.instance = std::move(instance);
    s.admin = static_cast<AdminState>(r.admin_state.load(relaxed));
    s.admin_since_ms = r.admin_since_ms.load(relaxed);
    s.disabled_since_ms = r.disabled_since_ms.load(relaxed);
    s.unhealthy_since_ms = r.unhealthy_since_ms.load(relaxed);
    s.last_error = r.last_error.load(relaxed);
    s.last_error_ms = r.last_error_ms.load(relaxed);
    s.check_failures = r.check_failures.load(relaxed);
    s.sessions_unknown_since_ms = now_ms;
    s.drain_state = r.drain_state.load(relaxed);
    s.draining_since_ms = r.draining_since_ms.load(relaxed);
    s.drained_since_ms = r.drained_since_ms.load(relaxed);
    return s;
}

WebModuleState capture_web_module(std::string cluster, std::string context_root,
                                  const SharedRecord& r) {
    WebModuleState s;
    s.cluster = std::move(cluster);
    s.context_root = std::move(context_root);
    s.disabled_since_ms = r.disabled_since_ms.load(relaxed);
    s.admin = static_cast<AdminState>(r.admin_state.load(relaxed));
    s.admin_since_ms = r.admin_since_ms.load(relaxed);
    return s;
}

ClusterState capture_cluster(std::string cluster, const SharedRecord& r) {
    ClusterState s;
    s.cluster = std::move(cluster);
    s.active_version_key = r.active_version_key.load(relaxed);
    s.active_version_since_ms = r.active_version_since_ms.load(relaxed);
    s.canary = r.canary_override.load(relaxed);
    s.canary_since_ms = r.canary_since_ms.load(relaxed);
    return s;
}

void restore_cluster(const ClusterState& s, SharedRecord& r) {
    r.active_version_key.store(s.active_version_key, relaxed);
    r.active_version_since_ms.store(s.active_version_since_ms, relaxed);
    r.canary_override.store(s.canary, relaxed);
    r.canary_since_ms.store(s.canary_since_ms, relaxed);
}

void restore_instance(const InstanceState& s, SharedRecord& r) {
    r.admin_state.store(static_cast<std::uint32_t>(s.admin), relaxed);
    r.admin_since_ms.store(s.admin_since_ms, relaxed);
    r.disabled_since_ms.store(s.disabled_since_ms, relaxed);
    r.unhealthy_since_ms.store(s.unhealthy_since_ms, relaxed);
    r.last_error.store(s.last_error, relaxed);
    r.last_error_ms.store(s.last_error_ms, relaxed);
    r.check_failures.store(s.check_failures, relaxed);
    r.sessions_unknown_since_ms.store(s.sessions_unknown_since_ms, relaxed);
    r.drain_state.store(s.drain_state, relaxed);
    r.draining_since_ms.store(s.draining_since_ms, relaxed);
    r.drained_since_ms.store(s.drained_since_ms, relaxed);
}

void restore_web_module(const WebModuleState& s, SharedRecord& r) {
    r.disabled_since_ms.store(s.disabled_since_ms, relaxed);
    r.admin_state.store(static_cast<std::uint32_t>(s.admin), relaxed);
    r.admin_since_ms.store(s.admin_since_ms, relaxed);
}

SeedCount seed_table(const StateFile& file, SharedTable& table,
                     std::int64_t sessions_unknown_since_ms) {
    SeedCount count;
    for (const auto& s : file.instances) {
        SharedRecord* r = table.claim(instance_key(s.cluster, s.instance));
        if (!r) {
            ++count.no_room;
            continue;
        }
        restore_instance(s, *r);
        if (sessions_unknown_since_ms != 0)
            r->sessions_unknown_since_ms.store(sessions_unknown_since_ms, relaxed);
        ++count.instances;
    }
    for (const auto& w : file.web_modules) {
        SharedRecord* r = table.claim(web_module_key(w.cluster, w.context_root));
        if (!r) {
            ++count.no_room;
            continue;
        }
        restore_web_module(w, *r);
        ++count.web_modules;
    }
    for (const auto& c : file.clusters) {
        SharedRecord* r = table.claim(cluster_key(c.cluster));
        if (!r) {
            ++count.no_room;
            continue;
        }
        restore_cluster(c, *r);
    }
    return count;
}

std::size_t copy_records(const SharedTable& from, SharedTable& to) {
    // A new field must be added below too: this fails to compile until the size is updated.
    static_assert(sizeof(SharedRecord) == 352 || sizeof(SharedRecord) == 360,
                  "copy_records must copy every field of SharedRecord");
    std::size_t lost = 0;
    for (std::size_t i = 0; i < from.capacity(); ++i) {
        const SharedRecord& f = from.slot(i);
        std::uint64_t key = f.key.load(std::memory_order_acquire);
        if (key == 0) continue;
        SharedRecord* t = to.claim(key);
        if (!t) {
            ++lost;
            continue;
        }
        copy(f.disabled_since_ms, t->disabled_since_ms);
        copy(f.counter, t->counter);
        copy(f.requests, t->requests);
        copy(f.new_sessions, t->new_sessions);
        copy(f.failures, t->failures);
        copy(f.failovers, t->failovers);
        copy(f.retries, t->retries);
        copy(f.unhealthy_since_ms, t->unhealthy_since_ms);
        copy(f.unhealthy_total_ms, t->unhealthy_total_ms);
        copy(f.last_error_ms, t->last_error_ms);
        copy(f.admin_since_ms, t->admin_since_ms);
        copy(f.last_error, t->last_error);
        copy(f.check_failures, t->check_failures);
        copy(f.admin_state, t->admin_state);
        copy(f.response_time_us, t->response_time_us);
        copy(f.fail_open_since_ms, t->fail_open_since_ms);
        copy(f.failure_streak, t->failure_streak);
        copy(f.drain_state, t->drain_state);
        copy(f.draining_since_ms, t->draining_since_ms);
        copy(f.drained_since_ms, t->drained_since_ms);
        copy(f.live_sessions, t->live_sessions);
        copy(f.untracked_sessions, t->untracked_sessions);
        copy(f.untracked_seen_ms, t->untracked_seen_ms);
        copy(f.sessions_unknown_since_ms, t->sessions_unknown_since_ms);
        copy(f.drain_created, t->drain_created);
        copy(f.sessions_ended, t->sessions_ended);
        copy(f.sessions_expired, t->sessions_expired);
        copy(f.stale_sessions, t->stale_sessions);
        // Not long_lived: the requests it counts run in the old block's children and end
        // against its records; copied, nothing would take them off and the instance would
        // never drain.
        copy(f.canary_draws, t->canary_draws);
        copy(f.session_overflow, t->session_overflow);
        copy(f.check_gate, t->check_gate);
        copy(f.in_service, t->in_service);
        copy(f.answered, t->answered);
        copy(f.answer_total_us, t->answer_total_us);
        copy(f.answer_max_us, t->answer_max_us);
        copy(f.answer_min_us, t->answer_min_us);
        copy(f.end_rate_micro, t->end_rate_micro);
        copy(f.end_rate_total, t->end_rate_total);
        copy(f.end_rate_at_ms, t->end_rate_at_ms);
        copy(f.counted_ms, t->counted_ms);
        copy(f.active_version_key, t->active_version_key);
        copy(f.active_version_since_ms, t->active_version_since_ms);
        copy(f.canary_override, t->canary_override);
        copy(f.canary_since_ms, t->canary_since_ms);
        copy(f.responses_5xx, t->responses_5xx);
    }
    return lost;
}

void copy_sessions(const SharedBlock& from, SharedBlock& to) {
    // Entry times are seconds since a block's birth: an old deadline d is d + shift on the new
    // clock. Rounded up so a carried session never loses time it had.
    std::int64_t delta_ms = from.created_ms() - to.created_ms();
    std::int64_t shift = delta_ms >= 0 ? (delta_ms + 999) / 1000 : -((-delta_ms) / 1000);
    to.sessions().copy_from(from.sessions(), shift);
}

}  // namespace zdu::state
