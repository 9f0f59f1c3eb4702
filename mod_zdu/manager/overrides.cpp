#include "mod_zdu/manager/overrides.hpp"

#include "manager/admin.hpp"
#include "mod_zdu/state/shared_state.hpp"
#include "mod_zdu/time_ms.hpp"

namespace zdu::glue {

std::vector<manager::Override> overrides_of(const Runtime* rt) {
    std::vector<manager::Override> all;
    if (!rt) return all;
    for (const auto& cluster : rt->clusters) {
        for (const auto& inst : cluster.instances) {
            auto admin = static_cast<state::AdminState>(
                inst.record->admin_state.load(std::memory_order_relaxed));
            if (admin == state::AdminState::Active) continue;
            manager::Override o;
            o.cluster = cluster.config->name;
            o.instance = inst.config->name;
            o.admin_state = admin;
            o.since_ms = inst.record->admin_since_ms.load(std::memory_order_relaxed);
            all.push_back(std::move(o));
        }
    }
    return all;
}

std::vector<manager::Override> reset_overrides(const Runtime* rt) {
    std::vector<manager::Override> cleared = overrides_of(rt);
    if (cleared.empty()) return cleared;
    const std::int64_t now = now_ms();
    for (const auto& cluster : rt->clusters) {
        for (const auto& inst : cluster.instances) {
            manager::set_admin_state(*inst.record, state::AdminState::Active, now);
        }
    }
    note_admin_change();
    return cleared;
}

}  // namespace zdu::glue
