#include "mod_zdu/state/module_state.hpp"

namespace zdu::glue {

ModuleState& module_state() {
    static ModuleState state;
    return state;
}

void reset_module_state() {
    module_state() = ModuleState{};
}

}  // namespace zdu::glue
