#include "mod_zdu/state/bench_prefill.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/time_ms.hpp"
#include "sessions/session_table.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {

std::string bench_session_id(std::uint64_t n) {
    // 32 characters, as long as a Tomcat session id: hashing the id and looking for its route
    // suffix then cost what they cost for a real one, and the bench compares table sizes only.
    std::string digits = std::to_string(n);
    return "BENCH" + std::string(digits.size() < 27 ? 27 - digits.size() : 0, '0') + digits;
}

std::optional<std::size_t> bench_prefill_count(const char* value) {
    if (value == nullptr || *value == '\0') return std::nullopt;
    std::size_t n = 0;
    for (const char* p = value; *p; ++p) {
        if (*p < '0' || *p > '9') return 0;
        const auto digit = static_cast<std::size_t>(*p - '0');
        if (n > (std::numeric_limits<std::size_t>::max() - digit) / 10) return 0;
        n = n * 10 + digit;
    }
    return n;
}

namespace {

// The idle timeout the glue would give a session of the cluster: its first web-module's.
std::uint32_t timeout_of_cluster(const Runtime& rt, int cluster) {
    for (const auto& wm : rt.web_modules) {
        if (wm.cluster == cluster) return wm.session_timeout_s;
    }
    return WebModuleRuntime{}.session_timeout_s;
}

}  // namespace

void prefill_bench_sessions(server_rec* s) {
    const std::optional<std::size_t> wanted =
        bench_prefill_count(std::getenv(kBenchPrefillVariable));
    if (!wanted) return;
    ModuleState& state = module_state();
    if (*wanted == 0 || !state.session_table || !state.runtime || state.runtime->clusters.empty() ||
        state.runtime->clusters.front().instances.empty()) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     ZDU_LOG_BENCH_PREFILL
                     "%s=%s ignored: it needs a positive count and a first "
                     "cluster with instances (bench only)",
                     kBenchPrefillVariable, std::getenv(kBenchPrefillVariable));
        return;
    }
    const ClusterRuntime& cluster = state.runtime->clusters.front();
    sessions::SessionTable& table = *state.session_table;
    const sessions::TableStats before = table.stats();
    // More than ZduSessionSlots would only evict the first ones again.
    const std::size_t count = std::min(*wanted, state.session_slots);
    const std::int64_t started = steady_ms();
    const sessions::Seconds expires =
        state::store_seconds(*state.block, now_ms()) + timeout_of_cluster(*state.runtime, 0);
    const std::uint64_t seed = state.block->hash_seed();
    std::size_t inserted = 0;
    std::size_t full = 0;
    for (std::size_t n = 0; n < count; ++n) {
        const InstanceRuntime& inst = cluster.instances[n % cluster.instances.size()];
        const auto key = sessions::session_key(seed, cluster.key, bench_session_id(n));
        switch (table.insert(key, inst.slot, expires, 0)) {
            case sessions::InsertResult::Inserted:
                ++inserted;
                break;
            case sessions::InsertResult::Updated:
                break;  // a graceful restart kept the table
            case sessions::InsertResult::Full:
                ++full;
                break;
        }
    }
    const sessions::TableStats after = table.stats();
    ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s,
                 ZDU_LOG_BENCH_PREFILL
                 "bench only (%s): sessions %s..%s bound round-robin to the %" APR_SIZE_T_FMT
                 " instances of cluster %s in %" APR_INT64_T_FMT " ms: %" APR_SIZE_T_FMT
                 " inserted, %" APR_SIZE_T_FMT " not stored (table full), %" APR_UINT64_T_FMT
                 " evicted; table of %" APR_UINT64_T_FMT " entries, %" APR_UINT64_T_FMT " bytes",
                 kBenchPrefillVariable, bench_session_id(0).c_str(),
                 bench_session_id(count - 1).c_str(), cluster.instances.size(),
                 cluster.config->name.c_str(), steady_ms() - started, inserted, full,
                 after.evicted - before.evicted, after.capacity, after.bytes);
}

}  // namespace zdu::glue
