#include "mod_zdu/config/directives.hpp"

#include <cstring>
#include <exception>
#include <string>
#include <string_view>

#include "config/loader.hpp"
#include "mod_zdu/config/balancer_setup.hpp"
#include "mod_zdu/config/cluster_checks.hpp"
#include "mod_zdu/config/worker_provisioning.hpp"
#include "mod_zdu/httpd_version.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/manager/handler.hpp"
#include "mod_zdu/proxy_api.hpp"
#include "mod_zdu/reload/reload_directives.hpp"
#include "mod_zdu/request/proxy_headers.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/state/state_persistence.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr const char* kRequiredModules[] = {"mod_proxy.c", "mod_proxy_http.c",
                                            "mod_proxy_balancer.c", "mod_slotmem_shm.c"};

const char* missing_modules_error(cmd_parms* cmd) {
    std::string missing;
    for (const char* name : kRequiredModules) {
        if (!ap_find_linked_module(name))
            missing += std::string(missing.empty() ? "" : ", ") + name;
    }
    if (missing.empty() && proxy_api_available()) return nullptr;
    if (missing.empty()) missing = "mod_proxy.c (loaded after mod_zdu)";
    return apr_pstrcat(cmd->pool,
                       ZDU_LOG_NEEDS_PROXY
                       "mod_zdu needs mod_proxy, mod_proxy_http, "
                       "mod_proxy_balancer and mod_slotmem_shm loaded before it (LoadModule); "
                       "missing: ",
                       missing.c_str(), nullptr);
}

void log_warnings(cmd_parms* cmd, const std::vector<config::Diagnostic>& diagnostics) {
    for (const auto& d : diagnostics) {
        if (d.severity != config::Diagnostic::Severity::Warning) continue;
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, ZDU_LOG_CONFIG_WARNING "%s",
                     d.text().c_str());
    }
}

std::string error_text(const std::vector<config::Diagnostic>& diagnostics) {
    std::string text;
    for (const auto& d : diagnostics) {
        if (d.severity == config::Diagnostic::Severity::Error) text += "\n  " + d.text();
    }
    return text;
}

const char* load_config_file(cmd_parms* cmd, void*, const char* arg) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    // Before the module check: an older mod_proxy lacks symbols mod_zdu binds weakly, which
    // would otherwise read as a LoadModule order problem.
    if (const char* err = httpd_too_old(cmd->pool)) return err;
    if (const char* err = missing_modules_error(cmd)) return err;
    const char* path = ap_server_root_relative(cmd->pool, arg);
    if (!path) return apr_pstrcat(cmd->pool, "ZduConfigFile: bad path ", arg, nullptr);
    if (!module_state().config_file.empty()) return "ZduConfigFile may appear only once";
    // Read once: these bytes are what the children run (published in shared memory) and what
    // the reload poller compares the file against.
    std::string text, why;
    config::LoadResult result;
    if (config::read_whole_file(path, text, why)) {
        result = config::load_string(text, path);
    } else {
        result.diagnostics.push_back(
            {config::Diagnostic::Severity::Error, path, 0, "cannot read the file: " + why});
    }
    log_warnings(cmd, result.diagnostics);
    if (!result.ok()) {
        return apr_pstrcat(cmd->pool, "ZduConfigFile: invalid ", path, ":",
                           error_text(result.diagnostics).c_str(), nullptr);
    }
    std::string err = check_clusters(*result.config, cmd->pool);
    if (err.empty()) err = define_balancers(*result.config, cmd->server, cmd->pool);
    if (!err.empty())
        return apr_pstrcat(cmd->pool, "ZduConfigFile: ", path, ": ", err.c_str(), nullptr);
    module_state().loaded = result.config;
    module_state().config_file = path;
    module_state().config_text = std::move(text);
    return nullptr;
}

const char* set_state_slots(cmd_parms* cmd, void*, const char* arg) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    char* end = nullptr;
    long slots = std::strtol(arg, &end, 10);
    if (!end || *end || slots < 16 || slots > (1L << 24)) {
        return apr_pstrcat(cmd->pool, "ZduStateSlots: '", arg,
                           "' is not a number from 16 to 16777216", nullptr);
    }
    module_state().state_slots = static_cast<std::size_t>(slots);
    return nullptr;
}

// A whole number in [lo, hi], or null.
const char* whole_number(cmd_parms* cmd, const char* arg, long lo, long hi, int& out) {
    char* end = nullptr;
    long n = std::strtol(arg, &end, 10);
    if (end == arg || *end || n < lo || n > hi) {
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number from %ld to %ld",
                            cmd->directive->directive, arg, lo, hi);
    }
    out = static_cast<int>(n);
    return nullptr;
}

// The limits outlive a config pass (they are read in children); a pass without the directive
// gets the default again.
apr_status_t forget_limits(void*) {
    provisioning_limits() = ProvisioningLimits{};
    return APR_SUCCESS;
}

const char* set_limit(cmd_parms* cmd, const char* arg, long hi, int ProvisioningLimits::*field) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    if (const char* err = whole_number(cmd, arg, 0, hi, provisioning_limits().*field)) return err;
    apr_pool_cleanup_register(cmd->pool, nullptr, forget_limits, apr_pool_cleanup_null);
    return nullptr;
}

const char* set_growth(cmd_parms* cmd, void*, const char* arg) {
    return set_limit(cmd, arg, 1000, &ProvisioningLimits::growth);
}

const char* set_spare_clusters(cmd_parms* cmd, void*, const char* arg) {
    return set_limit(cmd, arg, 64, &ProvisioningLimits::spare_clusters);
}

// httpd stores directive handlers as an untyped function pointer; going through void(*)() is
// the sanctioned way to erase the type.
cmd_func as_cmd_func(const char* (*take1)(cmd_parms*, void*, const char*)) {
    return reinterpret_cast<cmd_func>(reinterpret_cast<void (*)()>(take1));
}

cmd_func as_cmd_func(const char* (*flag)(cmd_parms*, void*, int)) {
    return reinterpret_cast<cmd_func>(reinterpret_cast<void (*)()>(flag));
}

cmd_func as_cmd_func(const char* (*take2)(cmd_parms*, void*, const char*, const char*)) {
    return reinterpret_cast<cmd_func>(reinterpret_cast<void (*)()>(take2));
}

const char* set_session_slots(cmd_parms* cmd, void*, const char* arg) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    int slots = 0;
    if (const char* err = whole_number(cmd, arg, 1024, 1L << 24, slots)) return err;
    module_state().session_slots = static_cast<std::size_t>(slots);
    return nullptr;
}

// Short keys make the pin's HMAC guessable offline; the key itself never goes into a message.
constexpr std::size_t kMinPinKeyBytes = 16;

const char* pin_key_error(cmd_parms* cmd, const char* which, const char* key) {
    std::size_t n = std::strlen(key);
    if (n >= kMinPinKeyBytes) return nullptr;
    return apr_psprintf(cmd->pool,
                        "ZduVersionPinKey: the %s key has %" APR_SIZE_T_FMT
                        " characters; at least %" APR_SIZE_T_FMT " are needed",
                        which, n, kMinPinKeyBytes);
}

const char* set_version_pin_key(cmd_parms* cmd, void*, const char* current, const char* previous) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    sessions::PinKeys& keys = module_state().pin_keys;
    // The state is emptied at each config pass, so a key already here is a second directive.
    if (keys.enabled()) return "ZduVersionPinKey may appear only once";
    if (const char* err = pin_key_error(cmd, "current", current)) return err;
    if (previous) {
        if (const char* err = pin_key_error(cmd, "previous", previous)) return err;
    }
    keys.current = current;
    keys.previous = previous ? previous : "";
    return nullptr;
}

const char* add_side_door_client(cmd_parms* cmd, void*, const char* range) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    if (auto why = module_state().side_door_clients.add(range)) {
        return apr_pstrcat(cmd->pool, "ZduSideDoorClients: ", why->c_str(), nullptr);
    }
    return nullptr;
}

const char* set_drained_command(cmd_parms* cmd, void*, const char* text) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    auto& configured = module_state().drained_command;
    if (configured) return "ZduDrainedCommand may appear only once";
    std::string why;
    configured = lifecycle::DrainedCommand::parse(text, why);
    if (!configured) {
        return apr_pstrcat(cmd->pool, "ZduDrainedCommand: ", why.c_str(), nullptr);
    }
    return nullptr;
}

const char* set_error_page_dir(cmd_parms* cmd, void*, const char* arg) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    const char* path = ap_server_root_relative(cmd->pool, arg);
    if (!path) return apr_pstrcat(cmd->pool, "ZduErrorPageDir: bad path ", arg, nullptr);
    module_state().error_page_dir = path;
    return nullptr;
}

}  // namespace

const command_rec directives[] = {
    AP_INIT_TAKE1("ZduConfigFile", as_cmd_func(load_config_file), nullptr, RSRC_CONF,
                  "path of the loadbalancer.xml mod_zdu serves"),
    AP_INIT_TAKE1("ZduStateSlots", as_cmd_func(set_state_slots), nullptr, RSRC_CONF,
                  "records of shared state (instances + web-modules + clusters); default 4096"),
    AP_INIT_TAKE1("ZduStateFile", as_cmd_func(set_state_file), nullptr, RSRC_CONF,
                  "file the parent keeps admin states and quiesce clocks in across restarts and "
                  "upgrades; default <ZduConfigFile>.state; off: none"),
    AP_INIT_TAKE1("ZduManagerSecret", as_cmd_func(set_manager_secret), nullptr, RSRC_CONF,
                  "secret the zdu-manager handler requires; without it the handler refuses all"),
    AP_INIT_FLAG("ZduManagerPingAnyUrl", as_cmd_func(set_manager_ping_any_url), nullptr, RSRC_CONF,
                 "On: cmd=ping&url= may reach any host:port; Off (default): only instance "
                 "listeners"),
    AP_INIT_FLAG("ZduConfigPush", as_cmd_func(set_config_push), nullptr, RSRC_CONF,
                 "On: the manager's cmd=push-validate / push-commit accept a loadbalancer.xml "
                 "and write it over ZduConfigFile; Off (default): refused"),
    AP_INIT_TAKE1("ZduConfigPushMaxBytes", as_cmd_func(set_config_push_max_bytes), nullptr,
                  RSRC_CONF,
                  "largest pushed request body (bytes, k or M); default ZduConfigMaxBytes"),
    AP_INIT_TAKE1("ZduErrorPageDir", as_cmd_func(set_error_page_dir), nullptr, RSRC_CONF,
                  "directory of the error pages a web-module's error-url may name"),
    AP_INIT_ITERATE("ZduBackendHeaders", as_cmd_func(set_backend_headers_directive), nullptr,
                    RSRC_CONF,
                    "mod_zdu's headers sent to the instances: Proxy-jroute, Proxy-ip, "
                    "Proxy-keysize, Proxy-auth-cert, X-Forwarded-Proto, auto, all or none (default auto)"),
    AP_INIT_ITERATE("ZduStripClientHeaders", as_cmd_func(set_strip_client_headers), nullptr,
                    RSRC_CONF,
                    "client request headers never forwarded: Name adds, -Name removes, none "
                    "empties the default list (mod_zdu's own headers are always removed)"),
    ZDU_RELOAD_DIRECTIVES AP_INIT_TAKE1(
        "ZduGrowth", as_cmd_func(set_growth), nullptr, RSRC_CONF,
        "worker slots each cluster keeps free for instances a reload adds (0-1000); "
        "default 16"),
    AP_INIT_TAKE1("ZduSpareClusters", as_cmd_func(set_spare_clusters), nullptr, RSRC_CONF,
                  "spare balancers for clusters a reload adds (0-64); default 4"),
    AP_INIT_TAKE1("ZduSessionSlots", as_cmd_func(set_session_slots), nullptr, RSRC_CONF,
                  "live sessions the shared session table holds (1024-16777216); default "
                  "1048576"),
    AP_INIT_TAKE12("ZduVersionPinKey", as_cmd_func(set_version_pin_key), nullptr, RSRC_CONF,
                   "key that signs version pins, and optionally the previous key still "
                   "accepted; without it no pin is set"),
    AP_INIT_ITERATE("ZduSideDoorClients", as_cmd_func(add_side_door_client), nullptr, RSRC_CONF,
                    "client addresses or CIDR ranges whose X-Zdu-Version and X-Zdu-Instance "
                    "headers are honoured"),
    AP_INIT_TAKE1("ZduDrainedCommand", as_cmd_func(set_drained_command), nullptr, RSRC_CONF,
                  "program run once when an instance becomes drained, with %c %i %v for "
                  "cluster, instance and version; no shell"),
    {nullptr, {nullptr}, nullptr, 0, RAW_ARGS, nullptr},
};

}  // namespace zdu::glue
