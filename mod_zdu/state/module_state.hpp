// The module's per-process state: the config the ZduConfigFile directive loaded in this config
// pass, and the runtime post_config built from it. Children inherit it from the parent by fork.
// It is never destroyed at process exit (module_state.cpp says why): only the config pool's
// cleanup empties it, in the parent.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "config/error_pages.hpp"
#include "config/model.hpp"
#include "mod_zdu/config/runtime.hpp"

namespace zdu::glue {

struct ModuleState {
    config::ConfigPtr loaded;
    std::string config_file;
    std::size_t state_slots = 4096;
    std::string error_page_dir;
    config::ErrorPages error_pages;     // read from error_page_dir in post_config
    std::string manager_secret;         // ZduManagerSecret; empty: the manager refuses all
    bool manager_ping_any_url = false;  // ZduManagerPingAnyUrl
    std::unique_ptr<Runtime> runtime;
};

ModuleState& module_state();

// Empties the state (the runtime and its policies go); called when a config pass starts and
// when its pool goes away, which happens only in the parent.
void reset_module_state();

inline const Runtime* current_runtime() {
    return module_state().runtime.get();
}

}  // namespace zdu::glue
