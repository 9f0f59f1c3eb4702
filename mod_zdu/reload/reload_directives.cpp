#include "mod_zdu/reload/reload_directives.hpp"

#include <cstdlib>
#include <string>

#include "mod_zdu/state/module_state.hpp"

namespace zdu::glue {

const char* set_config_max_bytes(cmd_parms* cmd, void*, const char* arg) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    char* end = nullptr;
    long long n = std::strtoll(arg, &end, 10);
    if (end && (*end == 'k' || *end == 'K')) n *= 1024, ++end;
    if (end && (*end == 'm' || *end == 'M')) n *= 1024 * 1024, ++end;
    if (!end || *end || n < 4096 || n > (256LL << 20)) {
        return apr_pstrcat(cmd->pool, "ZduConfigMaxBytes: '", arg,
                           "' is not a size from 4k to 256M", nullptr);
    }
    module_state().config_capacity = static_cast<std::size_t>(n);
    return nullptr;
}

// Before ZduConfigFile: that directive loads the policy modules of the file, and must know
// where they may come from.
const char* set_policy_module_dir(cmd_parms* cmd, void*, const char* arg) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    if (module_state().loaded) return "ZduPolicyModuleDir must come before ZduConfigFile";
    const char* dir = ap_server_root_relative(cmd->pool, arg);
    if (!dir) return apr_pstrcat(cmd->pool, "ZduPolicyModuleDir: bad path '", arg, "'", nullptr);
    module_state().policy_module_dirs.push_back(dir);
    return nullptr;
}

}  // namespace zdu::glue
