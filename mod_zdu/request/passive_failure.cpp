#include "mod_zdu/request/passive_failure.hpp"

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/time_ms.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// Atomic: mod_proxy in every child updates other bits of the same word.
void error_worker(proxy_worker* w) {
    // error_time first: mod_proxy's retry interval counts from it once it sees the bit.
    w->s->error_time = apr_time_now();
    __atomic_or_fetch(&w->s->status, PROXY_WORKER_IN_ERROR, __ATOMIC_ACQ_REL);
}

// mod_proxy errors a worker on every connect failure and on its own 500s; an instance that
// passive detection keeps in must stay usable for mod_proxy too.
void keep_worker_usable(proxy_worker* w) {
    if (__atomic_load_n(&w->s->status, __ATOMIC_ACQUIRE) & PROXY_WORKER_IN_ERROR) {
        __atomic_fetch_and(&w->s->status, ~PROXY_WORKER_IN_ERROR, __ATOMIC_ACQ_REL);
    }
}

const char* name_of(state::Failure why) {
    return state::failure_name(why).data();
}

// The cluster's instances for passive detection: those without a worker count neither way.
template <class Use>
void with_members(const ClusterRuntime& c, Use&& use) {
    auto member = [&c](int i) -> const state::SharedRecord* {
        return c.instances[i].worker ? c.instances[i].record : nullptr;
    };
    use(state::ClusterMembers{static_cast<int>(c.instances.size()), member});
}

// Ends the cluster's fail-open episode once no instance is kept in past its limit any more.
void end_episode(request_rec* r, const ClusterRuntime& c, const state::PassiveRule& rule,
                 const state::ClusterMembers& members) {
    if (state::keeps_any_open(rule, members) || !state::end_fail_open(*c.record)) return;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  ZDU_LOG_FAIL_OPEN_OVER
                  "cluster %s: passive detection no longer fails open (no instance is kept in "
                  "past its failures in a row)",
                  c.config->name.c_str());
}

void log_taken_out(request_rec* r, const ClusterRuntime& c, const InstanceRuntime& inst,
                   state::Failure why, std::uint32_t streak) {
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  ZDU_LOG_INSTANCE_UNHEALTHY
                  "cluster %s instance %s listener %s is unhealthy: %s (%u in a row)",
                  c.config->name.c_str(), inst.config->name.c_str(), inst.worker_url.c_str(),
                  name_of(why), streak);
}

void log_counted(request_rec* r, const ClusterRuntime& c, const InstanceRuntime& inst,
                 state::Failure why, std::uint32_t streak, std::uint32_t limit) {
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  ZDU_LOG_FAILURE_COUNTED
                  "cluster %s instance %s: %s, %u of %u in a row that "
                  "take it out",
                  c.config->name.c_str(), inst.config->name.c_str(), name_of(why), streak, limit);
}

void log_fail_open(request_rec* r, const RequestContext& ctx, const InstanceRuntime& inst,
                   state::Failure why, std::uint32_t streak) {
    const ClusterRuntime& c = *ctx.cluster;
    if (!state::begin_fail_open(*c.record, now_ms())) return;
    const state::PassiveRule rule = passive_rule(ctx.runtime->settings);
    const int members = static_cast<int>(c.instances.size());
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  ZDU_LOG_FAIL_OPEN
                  "cluster %s fails open: instance %s stays in rotation after "
                  "%u failures in a row (last: %s), since passive detection "
                  "keeps at least %d of %d instances healthy",
                  c.config->name.c_str(), inst.config->name.c_str(), streak, name_of(why),
                  state::min_healthy(rule, members), members);
}

}  // namespace

state::PassiveRule passive_rule(const config::Settings& settings) {
    state::PassiveRule rule;
    rule.failures_in_a_row = static_cast<std::uint32_t>(settings.passive_failures_in_a_row);
    rule.min_healthy_percent = settings.passive_min_healthy_percent;
    return rule;
}

void note_attempt_failure(request_rec* r, const RequestContext& ctx, const InstanceRuntime& inst,
                          state::Failure why) {
    const ClusterRuntime& c = *ctx.cluster;
    const state::PassiveRule rule = passive_rule(ctx.runtime->settings);
    state::PassiveResult result{};
    with_members(c, [&](const state::ClusterMembers& members) {
        result = state::note_passive_failure(*inst.record, why, now_ms(), rule, members);
    });
    using Kind = state::PassiveResult::Kind;
    switch (result.kind) {
        case Kind::TakenOut:
            error_worker(inst.worker);
            log_taken_out(r, c, inst, why, result.streak);
            // Taking one out may be what leaves no instance kept in (the others recovered).
            if (!state::fail_open_active(*c.record)) return;
            return with_members(
                c, [&](const state::ClusterMembers& members) { end_episode(r, c, rule, members); });
        case Kind::AlreadyOut:
            return;
        case Kind::Counted:
            keep_worker_usable(inst.worker);
            return log_counted(r, c, inst, why, result.streak, rule.failures_in_a_row);
        case Kind::KeptOpen:
            keep_worker_usable(inst.worker);
            return log_fail_open(r, ctx, inst, why, result.streak);
    }
}

void note_attempt_success(request_rec* r, const RequestContext& ctx, const InstanceRuntime& inst) {
    // The common case: no failures before this success, nothing to write or scan.
    if (state::note_passive_success(*inst.record) == 0) return;
    const ClusterRuntime& c = *ctx.cluster;
    if (!state::fail_open_active(*c.record)) return;
    const state::PassiveRule rule = passive_rule(ctx.runtime->settings);
    with_members(c,
                 [&](const state::ClusterMembers& members) { end_episode(r, c, rule, members); });
}

}  // namespace zdu::glue
