// The state file (ZduStateFile, default <ZduConfigFile>.state): what a new shared-memory block
// is seeded from. Only the parent writes it (it runs as root; children as the httpd user cannot
// write beside the config): when the config pool is cleared (graceful restart, stop; the
// cleanup runs in the code of the module that served, before mod_so unloads it), and within
// about ten seconds of an admin-state change (httpd's monitor hook). A kill -9 of the parent
// loses the admin changes of those last seconds and every change after the last write.
#pragma once

#include <string>

#include "mod_zdu/httpd.hpp"
#include "state/shared_records.hpp"

namespace zdu::glue {

const char* set_state_file(cmd_parms* cmd, void*, const char* arg);

// Where the state file is; empty with "ZduStateFile off".
std::string state_file_path();

// Seeds a new block's table from the state file; a missing file is a first start, an unusable
// one is logged and ignored.
void seed_from_state_file(server_rec* s, state::SharedTable& table,
                          std::int64_t sessions_unknown_since_ms);

// After post_config built the runtime, in the parent: write the file when `pconf` is cleared.
void persist_state_on_clear(server_rec* s, apr_pool_t* pconf);

// The monitor hook that writes the file after admin changes.
void register_state_persistence();

}  // namespace zdu::glue
