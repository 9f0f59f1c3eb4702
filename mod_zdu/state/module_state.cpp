#include "mod_zdu/state/module_state.hpp"

#include <new>

namespace zdu::glue {
namespace {

// The state lives in static storage that exit() never destroys. A C++ static would be
// destroyed by exit() in every child, tearing down the runtime (a user policy's destroy(),
// dlclose of its code) while the child's watchdog and ping threads may still run. Teardown
// goes only through release_module_state(), which the config pool's cleanup calls; only the
// parent ever destroys that pool (graceful restart, stop), and no such thread runs there.
alignas(ModuleState) unsigned char storage[sizeof(ModuleState)];
ModuleState* live = nullptr;  // the state in `storage`; null before the first use and after release

}  // namespace

// Made on first use in a config pass, in the parent before any child or thread exists.
ModuleState& module_state() {
    if (!live) live = new (&storage) ModuleState();
    return *live;
}

void reset_module_state() {
    release_module_state();
    module_state();
}

void release_module_state() {
    if (!live) return;
    live->~ModuleState();
    live = nullptr;
}

}  // namespace zdu::glue
