// The manager handler (SetHandler zdu-manager): PING, domain and push commands, as JSON, refused
// unless ZduManagerSecret is configured and presented; for a browser, the status page with
// action forms behind a sign-in (page_handler.hpp).
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// A handler of handlers.cpp's one handler hook: DECLINED unless the request is its own.
int manager_handler(request_rec* r);
const char* set_manager_secret(cmd_parms* cmd, void*, const char* secret);
// ZduManagerPingAnyUrl On|Off (default Off): whether cmd=ping&url= may reach any host:port
// rather than only the instance listeners of the config.
const char* set_manager_ping_any_url(cmd_parms* cmd, void*, int on);
// ZduConfigPush On|Off (default Off): whether cmd=push-validate / push-commit are accepted.
const char* set_config_push(cmd_parms* cmd, void*, int on);
// ZduConfigPushMaxBytes size: the largest push body; default (0) ZduConfigMaxBytes.
const char* set_config_push_max_bytes(cmd_parms* cmd, void*, const char* arg);

}  // namespace zdu::glue
