// The module's per-process state: the config the ZduConfigFile directive loaded in this config
// pass, and the runtime post_config built from it. Children inherit it from the parent by fork.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "config/model.hpp"
#include "headers/strip_list.hpp"
#include "mod_zdu/config/runtime.hpp"
#include "state/shared_block.hpp"

namespace zdu::glue {

struct ModuleState {
    config::ConfigPtr loaded;
    std::string config_file;
    std::size_t state_slots = 4096;
    std::string state_file;  // ZduStateFile; empty: <ZduConfigFile>.state
    bool state_file_off = false;
    std::optional<state::SharedBlock> block;  // this pass's shared memory
    std::string error_page_dir;
    std::string manager_secret;  // ZduManagerSecret; empty: the manager refuses all
    // ZduStripClientHeaders applied to the default list.
    headers::StripList strip_headers;
    std::unique_ptr<Runtime> runtime;
};

ModuleState& module_state();

// Empties the state; called when a config pass starts and when its pool goes away.
void reset_module_state();

inline const Runtime* current_runtime() {
    return module_state().runtime.get();
}

}  // namespace zdu::glue
