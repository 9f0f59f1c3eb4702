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
    return s;
}

WebModuleState capture_web_module(std::string cluster, std::string context_root,
                                  const SharedRecord& r) {
    return {std::move(cluster), std::move(context_root), r.disabled_since_ms.load(relaxed)};
}

void restore_instance(const InstanceState& s, SharedRecord& r) {
    r.admin_state.store(static_cast<std::uint32_t>(s.admin), relaxed);
    r.admin_since_ms.store(s.admin_since_ms, relaxed);
    r.disabled_since_ms.store(s.disabled_since_ms, relaxed);
    r.unhealthy_since_ms.store(s.unhealthy_since_ms, relaxed);
    r.last_error.store(s.last_error, relaxed);
    r.last_error_ms.store(s.last_error_ms, relaxed);
    r.check_failures.store(s.check_failures, relaxed);
}

void restore_web_module(const WebModuleState& s, SharedRecord& r) {
    r.disabled_since_ms.store(s.disabled_since_ms, relaxed);
}

SeedCount seed_table(const StateFile& file, SharedTable& table) {
    SeedCount count;
    for (const auto& s : file.instances) {
        SharedRecord* r = table.claim(instance_key(s.cluster, s.instance));
        if (!r) {
            ++count.no_room;
            continue;
        }
        restore_instance(s, *r);
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
    return count;
}

std::size_t copy_records(const SharedTable& from, SharedTable& to) {
    // A new field must be added below too: this fails to compile until the size is updated.
    static_assert(sizeof(SharedRecord) == 136 || sizeof(SharedRecord) == 144,
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
    }
    return lost;
}

}  // namespace zdu::state
