// The module's per-process state: the config the ZduConfigFile directive loaded in this config
// pass, and the runtime post_config built from it. Children inherit it from the parent by fork.
// It is never destroyed at process exit (module_state.cpp says why): only the config pool's
// cleanup destroys it, in the parent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/error_pages.hpp"
#include "config/model.hpp"
#include "headers/backend_headers.hpp"
#include "headers/strip_list.hpp"
#include "headers/trusted_clients.hpp"
#include "lifecycle/drained_command.hpp"
#include "mod_zdu/config/runtime.hpp"
#include "sessions/session_table.hpp"
#include "sessions/version_pin.hpp"
#include "state/shared_block.hpp"

namespace zdu::glue {

struct ModuleState {
    config::ConfigPtr loaded;
    std::string config_file;
    std::string config_text;  // the bytes `loaded` came from, published for the children
    std::size_t config_capacity = state::kDefaultConfigCapacity;  // ZduConfigMaxBytes
    // ZduPolicyModuleDir: where a policy-module may be; empty: ServerRoot/modules.
    std::vector<std::string> policy_module_dirs;
    std::size_t state_slots = 4096;
    std::size_t session_slots = 1u << 20;
    std::string state_file;  // ZduStateFile; empty: <ZduConfigFile>.state
    bool state_file_off = false;
    std::optional<state::SharedBlock> block;  // this pass's shared memory
    std::string error_page_dir;
    config::ErrorPages error_pages;         // read from error_page_dir in post_config
    std::string manager_secret;             // ZduManagerSecret; empty: the manager refuses all
    bool manager_ping_any_url = false;      // ZduManagerPingAnyUrl
    bool config_push = false;               // ZduConfigPush: the manager may replace the file
    std::size_t config_push_max_bytes = 0;  // ZduConfigPushMaxBytes; 0: config_capacity
    // ZduStripClientHeaders applied to the default list.
    headers::StripList strip_headers;
    headers::BackendHeaders backend_headers;    // ZduBackendHeaders
    sessions::PinKeys pin_keys;                 // ZduVersionPinKey; none: no version pins
    headers::TrustedClients side_door_clients;  // ZduSideDoorClients; empty: no side door
    // ZduDrainedCommand: run once when an instance becomes drained.
    std::optional<lifecycle::DrainedCommand> drained_command;
    std::unique_ptr<Runtime> runtime;
    // The session table of `block`, looked up once per config pass.
    std::optional<sessions::SessionTable> session_table;
};

ModuleState& module_state();

// Empties the state (the runtime and its policies go): a config pass starts with a new one.
void reset_module_state();
// Destroys the state and frees all it holds; called when the config pool goes away, which
// happens only in the parent, right before mod_so unloads the module. Assigning an empty state
// there instead would leave what the empty one allocates (the default strip list) and the
// buffer of every string the pass filled (moving an empty string in keeps it) in storage the
// unload drops: lost once per graceful restart. A later module_state() makes a new state.
void release_module_state();

inline const Runtime* current_runtime() {
    return module_state().runtime.get();
}

}  // namespace zdu::glue
