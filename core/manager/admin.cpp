#include "manager/admin.hpp"

namespace zdu::manager {

std::string_view admin_state_name(state::AdminState s) {
    switch (s) {
        case state::AdminState::Active:
            return "active";
        case state::AdminState::Disabled:
            return "disabled";
        case state::AdminState::Stopped:
            return "stopped";
    }
    return "unknown";
}

state::AdminState set_admin_state(state::SharedRecord& record, state::AdminState to,
                                  std::int64_t now_ms) {
    auto before =
        record.admin_state.exchange(static_cast<std::uint32_t>(to), std::memory_order_acq_rel);
    if (before != static_cast<std::uint32_t>(to))
        record.admin_since_ms.store(now_ms, std::memory_order_relaxed);
    return static_cast<state::AdminState>(before);
}

std::string describe(const std::vector<AdminChange>& changes) {
    std::string text;
    for (const auto& c : changes) {
        if (!text.empty()) text += ", ";
        text += c.cluster + "/" + c.instance + " ";
        if (c.changed()) {
            text += std::string(admin_state_name(c.before)) + "->" +
                    std::string(admin_state_name(c.after));
        } else {
            text += std::string(admin_state_name(c.after)) + " (unchanged)";
        }
    }
    return text;
}

}  // namespace zdu::manager
