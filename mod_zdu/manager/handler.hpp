// The manager handler (SetHandler zdu-manager): PING and domain commands, as JSON, refused
// unless ZduManagerSecret is configured and presented.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

void register_manager();
const char* set_manager_secret(cmd_parms* cmd, void*, const char* secret);
// ZduManagerPingAnyUrl On|Off (default Off): whether cmd=ping&url= may reach any host:port
// rather than only the instance listeners of the config.
const char* set_manager_ping_any_url(cmd_parms* cmd, void*, int on);

}  // namespace zdu::glue
