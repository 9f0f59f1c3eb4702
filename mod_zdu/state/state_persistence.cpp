#include "mod_zdu/state/state_persistence.hpp"

#include <unistd.h>

#include <cstdint>
#include <exception>

// The monitor hook (run by the parent every ten turns of its one-second loop) is declared here.
#include <mpm_common.h>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/time_ms.hpp"
#include "routing/version.hpp"
#include "state/state_carry.hpp"
#include "state/state_file_io.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// Set in post_config, which runs in the parent; children inherit it and so know they are not.
pid_t parent_pid = 0;
// The block's admin-change count the file last saw (parent only).
std::uint64_t persisted_changes = 0;

bool in_parent() {
    return parent_pid != 0 && getpid() == parent_pid;
}

state::StateFile snapshot(const Runtime& rt, std::int64_t now) {
    state::StateFile file;
    file.written_ms = now;
    for (const auto& c : rt.clusters) {
        for (const auto& inst : c.instances) {
            file.instances.push_back(
                state::capture_instance(c.config->name, inst.config->name, *inst.record, now));
        }
    }
    for (const auto& wm : rt.web_modules) {
        file.web_modules.push_back(state::capture_web_module(rt.clusters[wm.cluster].config->name,
                                                             wm.config->context_root, *wm.record));
    }
    for (const auto& c : rt.clusters) {
        state::ClusterState cs = state::capture_cluster(c.config->name, *c.record);
        if (!cs.any()) continue;
        const auto& versions = c.routes.versions();
        const int a = routing::resolve_version(versions, cs.active_version_key);
        const int k = routing::resolve_canary(versions, cs.canary);
        if (a >= 0) cs.active_version = versions[a];
        if (k >= 0) cs.canary_version = versions[k];
        file.clusters.push_back(std::move(cs));
    }
    return file;
}

// Called from httpd (a pool cleanup, a hook): no exception may leave it.
void persist(server_rec* s, const char* why) noexcept {
    const ModuleState& st = module_state();
    if (!st.runtime || !st.block) return;
    persisted_changes = st.block->admin_changes();
    std::string error;
    std::string path;
    try {
        path = state_file_path();
        if (path.empty()) return;
        error = state::write_state_file(path, snapshot(*st.runtime, now_ms()));
    } catch (const std::exception& e) {
        error = e.what();
    }
    if (!error.empty()) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     ZDU_LOG_STATE_WRITE_FAILED "state file not written (%s): %s", why,
                     error.c_str());
        return;
    }
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s, ZDU_LOG_STATE_WRITTEN "state file %s written (%s)",
                 path.c_str(), why);
}

apr_status_t persist_on_clear(void* data) {
    if (in_parent()) persist(static_cast<server_rec*>(data), "config pool cleared");
    return APR_SUCCESS;
}

int persist_on_monitor(apr_pool_t*, server_rec* s) {
    const ModuleState& st = module_state();
    if (in_parent() && st.block && st.block->admin_changes() != persisted_changes) {
        persist(s, "admin state changed");
    }
    return DECLINED;
}

}  // namespace

const char* set_state_file(cmd_parms* cmd, void*, const char* arg) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    ModuleState& st = module_state();
    if (st.state_file_off || !st.state_file.empty()) return "ZduStateFile may appear only once";
    if (apr_strnatcasecmp(arg, "off") == 0) {
        st.state_file_off = true;
        return nullptr;
    }
    const char* path = ap_server_root_relative(cmd->pool, arg);
    if (!path || !*path) return apr_pstrcat(cmd->pool, "ZduStateFile: bad path ", arg, nullptr);
    st.state_file = path;
    return nullptr;
}

std::string state_file_path() {
    const ModuleState& st = module_state();
    if (st.state_file_off) return {};
    if (!st.state_file.empty()) return st.state_file;
    return st.config_file.empty() ? std::string() : st.config_file + ".state";
}

void seed_from_state_file(server_rec* s, state::SharedTable& table,
                          std::int64_t sessions_unknown_since_ms) {
    std::string path = state_file_path();
    if (path.empty()) return;
    state::StateFileRead read = state::read_state_file(path);
    if (!read.found) return;
    if (!read.usable()) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     ZDU_LOG_STATE_UNUSABLE "state file ignored, state starts empty: %s",
                     read.error.c_str());
        return;
    }
    state::SeedCount n = state::seed_table(read.parse.file, table, sessions_unknown_since_ms);
    ap_log_error(APLOG_MARK, APLOG_NOTICE, 0, s,
                 ZDU_LOG_STATE_SEEDED
                 "carried the state of %" APR_SIZE_T_FMT " instances and %" APR_SIZE_T_FMT
                 " web-modules from %s (written at %" APR_INT64_T_FMT " ms, %" APR_SIZE_T_FMT
                 " without room)",
                 n.instances, n.web_modules, path.c_str(),
                 static_cast<apr_int64_t>(read.parse.file.written_ms), n.no_room);
}

void persist_state_on_clear(server_rec* s, apr_pool_t* pconf) {
    parent_pid = getpid();
    persisted_changes = module_state().block ? module_state().block->admin_changes() : 0;
    apr_pool_cleanup_register(pconf, s, persist_on_clear, apr_pool_cleanup_null);
}

void register_state_persistence() {
    ap_hook_monitor(persist_on_monitor, nullptr, nullptr, APR_HOOK_MIDDLE);
}

}  // namespace zdu::glue
