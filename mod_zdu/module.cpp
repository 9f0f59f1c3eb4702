// mod_zdu: the module record, its hooks, and the config lifecycle. Everything that decides
// anything lives in the core; this file only wires it into httpd.
#include <cstdint>
#include <exception>
#include <vector>

#include "mod_zdu/config/directives.hpp"
#include "mod_zdu/config/spare_balancers.hpp"
#include "mod_zdu/health/checker.hpp"
#include "mod_zdu/httpd.hpp"
#include "mod_zdu/lifecycle/sweeper.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/manager/handler.hpp"
#include "mod_zdu/manager/handlers.hpp"
#include "mod_zdu/proxy_api.hpp"
#include "mod_zdu/reload/poller.hpp"
#include "mod_zdu/reload/publish_lock.hpp"
#include "mod_zdu/reload/publisher.hpp"
#include "mod_zdu/reload/snapshot.hpp"
#include "mod_zdu/request/error_pages.hpp"
#include "mod_zdu/request/instance_probe.hpp"
#include "mod_zdu/request/proxy_headers.hpp"
#include "mod_zdu/request/proxy_hooks.hpp"
#include "mod_zdu/request/request_end.hpp"
#include "mod_zdu/request/response_filter.hpp"
#include "mod_zdu/request/translate.hpp"
#include "mod_zdu/state/bench_prefill.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/state/shared_state.hpp"
#include "mod_zdu/state/state_persistence.hpp"
#include "mod_zdu/time_ms.hpp"
#include "state/record_keys.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// Once per (re)start, in the real config pass: what the xml asks for that mod_zdu ignores.
void warn_unimplemented(const config::Settings& settings, server_rec* s) {
    for (std::string_view name : config::unimplemented_properties(settings)) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     ZDU_LOG_NOT_IMPLEMENTED "property %.*s is not implemented yet and is ignored",
                     static_cast<int>(name.size()), name.data());
    }
}

apr_status_t forget_config(void*) {
    install_initial(nullptr, 0, 0, 0);
    release_module_state();
    return APR_SUCCESS;
}

int pre_config(apr_pool_t* pconf, apr_pool_t*, apr_pool_t*) {
    install_initial(nullptr, 0, 0, 0);
    reset_module_state();
    apr_pool_cleanup_register(pconf, nullptr, forget_config, apr_pool_cleanup_null);
    return OK;
}

// The keys of the shared records the runtime claims for this config: one per cluster,
// instance and web-module.
std::vector<std::uint64_t> record_keys(const config::LoadBalancer& lb) {
    std::vector<std::uint64_t> keys;
    for (const auto& c : lb.clusters) {
        keys.push_back(state::cluster_key(c.name));
        for (const auto& inst : c.instances) keys.push_back(state::instance_key(c.name, inst.name));
        for (const auto& wm : c.web_modules) {
            keys.push_back(state::web_module_key(c.name, wm.context_root));
        }
    }
    return keys;
}

int build(server_rec* s, apr_pool_t* pconf) {
    ModuleState& state = module_state();
    try {
        state.block =
            shared_block(s, state.state_slots, record_keys(*state.loaded), state.config_capacity);
        if (!state.block) return HTTP_INTERNAL_SERVER_ERROR;
        state::SharedTable table = state.block->records();
        state.session_table.emplace(state.block->sessions());
        state.runtime = build_runtime(state.loaded, table, s, pconf);
    } catch (const std::exception& e) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, 0, s, ZDU_LOG_RUNTIME_FAILED "%s", e.what());
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    note_disabled_since(*state.runtime, now_ms());
    prefill_bench_sessions(s);
    if (!publish_startup(s)) return HTTP_INTERNAL_SERVER_ERROR;
    persist_state_on_clear(s, pconf);
    load_error_pages(s);
    warn_unimplemented(state.runtime->settings, s);
    return OK;
}

int post_config(apr_pool_t* pconf, apr_pool_t*, apr_pool_t*, server_rec* s) {
    ModuleState& state = module_state();
    if (!state.loaded) return OK;
    // The first pass only checks the config; shared memory is made for the real one.
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) return OK;
    bind_worker_retry();
    int rc = build(s, pconf);
    if (rc != OK) return rc;
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, s,
                 ZDU_LOG_CONFIG_LOADED "serving %s: %" APR_SIZE_T_FMT " clusters, %" APR_SIZE_T_FMT
                                       " web-modules",
                 state.config_file.c_str(), state.runtime->clusters.size(),
                 state.runtime->web_modules.size());
    return OK;
}

void register_hooks(apr_pool_t*) {
    static const char* const before_proxy[] = {"mod_proxy.c", nullptr};
    static const char* const before_balancer[] = {"mod_proxy_balancer.c", nullptr};
    ap_hook_pre_config(pre_config, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_post_config(post_config, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_translate_name(translate_name, nullptr, before_proxy, APR_HOOK_FIRST);
    register_response_filter();
    register_handlers();
    register_publish_lock();
    register_reload_poller();
    register_session_sweep();
    register_state_persistence();
    // Without mod_proxy there is nothing to hook into; ZduConfigFile then says what is missing.
    if (!proxy_api_available()) return;
    proxy_hook_pre_request(pre_request, nullptr, before_balancer, APR_HOOK_FIRST);
    proxy_hook_post_request(post_request, nullptr, before_balancer, APR_HOOK_FIRST);
    proxy_hook_canon_handler(canon_handler, nullptr, before_balancer, APR_HOOK_FIRST);
    ap_hook_log_transaction(note_request_end, nullptr, nullptr, APR_HOOK_MIDDLE);
    // request_status is an optional hook of mod_proxy: registered by name, not by a symbol.
    APR_OPTIONAL_HOOK(proxy, request_status, request_status, nullptr, nullptr, APR_HOOK_MIDDLE);
    // So is fixups: backend headers go in there, after mod_proxy removed what the client's
    // Connection header names.
    APR_OPTIONAL_HOOK(proxy, fixups, set_backend_headers, nullptr, nullptr, APR_HOOK_MIDDLE);
    register_health_checker();
    register_balancer_room();
}

}  // namespace
}  // namespace zdu::glue

// The one symbol the .so exports (everything else is hidden): httpd's LoadModule looks it up.
extern "C" {
__attribute__((visibility("default"))) module AP_MODULE_DECLARE_DATA zdu_module = {
    STANDARD20_MODULE_STUFF,
    nullptr,                    // per-directory config
    nullptr,                    // merge per-directory
    nullptr,                    // per-server config
    nullptr,                    // merge per-server
    zdu::glue::directives,      // directives
    zdu::glue::register_hooks,  // hooks
    AP_MODULE_FLAG_NONE,
};
}
