// The directives of hot reload: ZduConfigMaxBytes (room for the published config in shared
// memory) and ZduPolicyModuleDir (where a policy-module may be loaded from). Their entries go
// into the module's directive table through ZDU_RELOAD_DIRECTIVES.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

const char* set_config_max_bytes(cmd_parms* cmd, void*, const char* arg);
const char* set_policy_module_dir(cmd_parms* cmd, void*, const char* arg);

}  // namespace zdu::glue

// Expanded inside the table in directives.cpp, where as_cmd_func is defined.
#define ZDU_RELOAD_DIRECTIVES                                                                   \
    AP_INIT_TAKE1("ZduConfigMaxBytes", as_cmd_func(set_config_max_bytes), nullptr, RSRC_CONF,   \
                  "largest loadbalancer.xml a reload can publish (bytes, k or M); default 1M"), \
        AP_INIT_ITERATE("ZduPolicyModuleDir", as_cmd_func(set_policy_module_dir), nullptr,      \
                        RSRC_CONF,                                                              \
                        "directories a policy-module must be in (before ZduConfigFile); "       \
                        "default ServerRoot/modules"),
