#include "mod_zdu/state/module_state.hpp"

#include <new>

namespace zdu::glue {

// The state is built once in static storage and never destroyed. A C++ static would be
// destroyed by exit() in every child, tearing down the runtime (a user policy's destroy(),
// dlclose of its code) while the child's watchdog and ping threads may still run. Teardown
// goes only through reset_module_state(), which the config pool's cleanup calls; only the
// parent ever destroys that pool (graceful restart, stop), and no such thread runs there.
ModuleState& module_state() {
    alignas(ModuleState) static unsigned char storage[sizeof(ModuleState)];
    static ModuleState* const state = new (storage) ModuleState();
    return *state;
}

void reset_module_state() {
    module_state() = ModuleState{};
}

}  // namespace zdu::glue
