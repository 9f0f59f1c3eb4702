// The manager handler (SetHandler zdu-manager): PING and domain commands, as JSON, refused
// unless ZduManagerSecret is configured and presented.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

void register_manager();
const char* set_manager_secret(cmd_parms* cmd, void*, const char* secret);

}  // namespace zdu::glue
