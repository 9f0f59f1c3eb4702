#include "mod_zdu/policy/module.hpp"

#include <utility>
#include <vector>

namespace zdu::glue {
namespace {

std::string table_problem(const zdu_policy_v1* table) {
    if (!table) return std::string(ZDU_POLICY_ENTRY_SYMBOL) + "() returned NULL";
    if (table->version != ZDU_POLICY_VERSION_1) {
        return "interface version " + std::to_string(table->version) +
               ", but this mod_zdu implements version " + std::to_string(ZDU_POLICY_VERSION_1);
    }
    if (!table->choose) return "its zdu_policy_v1 has no choose function";
    return {};
}

// Runs init(); false with `error` set when the module refuses.
bool init_state(const zdu_policy_v1& table, const config::Cluster& cluster,
                const routing::ClusterRoutes& routes, void*& state, std::string& error) {
    state = nullptr;
    if (!table.init) return true;
    std::vector<zdu_policy_instance> instances;
    instances.reserve(cluster.instances.size());
    for (std::size_t i = 0; i < cluster.instances.size(); ++i) {
        const config::Instance& inst = cluster.instances[i];
        instances.push_back({policy_string(inst.name),
                             policy_string(routes.route(static_cast<int>(i))), inst.weight,
                             inst.enabled ? 1 : 0});
    }
    zdu_policy_cluster c{policy_string(cluster.name), instances.data(), instances.size()};
    char reason[512] = "";
    if (table.init(&c, &state, reason, sizeof reason) == 0) return true;
    reason[sizeof reason - 1] = '\0';
    error = std::string("init failed: ") + (reason[0] ? reason : "no reason given");
    return false;
}

}  // namespace

std::unique_ptr<PolicyModule> PolicyModule::load(const std::string& path,
                                                 const config::Cluster& cluster,
                                                 const routing::ClusterRoutes& routes,
                                                 std::string& error) {
    SharedLibrary library = SharedLibrary::open(path, error);
    if (!library) return nullptr;
    void* entry = library.symbol(ZDU_POLICY_ENTRY_SYMBOL, error);
    if (!entry) return nullptr;
    // POSIX guarantees a data pointer from dlsym converts to the function it names.
    auto entry_fn = reinterpret_cast<zdu_policy_entry_fn>(entry);
    return start(entry_fn(), std::move(library), cluster, routes, error);
}

std::unique_ptr<PolicyModule> PolicyModule::start(const zdu_policy_v1* table, SharedLibrary library,
                                                  const config::Cluster& cluster,
                                                  const routing::ClusterRoutes& routes,
                                                  std::string& error) {
    error = table_problem(table);
    if (!error.empty()) return nullptr;
    void* state = nullptr;
    if (!init_state(*table, cluster, routes, state, error)) return nullptr;
    return std::make_unique<PolicyModule>(*table, state, std::move(library));
}

PolicyModule::PolicyModule(const zdu_policy_v1& table, void* state, SharedLibrary library)
    : library_(std::move(library)), table_(table), state_(state) {}

PolicyModule::~PolicyModule() {
    if (table_.destroy) table_.destroy(state_);
}

}  // namespace zdu::glue
