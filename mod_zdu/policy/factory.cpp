#include "mod_zdu/policy/factory.hpp"

#include <http_main.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <utility>
#include <vector>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/policy/module.hpp"
#include "mod_zdu/policy/user_defined.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "routing/adaptive_policy.hpp"
#include "routing/cluster_routes.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// The directive checks each config before adopting it; post_config builds the runtime from the
// adopted one. Only the latter logs, so a (re)start logs each policy once.
bool serving(const config::Cluster& cluster) {
    const config::ConfigPtr& adopted = module_state().loaded;
    if (!adopted) return false;
    for (const auto& c : adopted->clusters) {
        if (&c == &cluster) return true;
    }
    return false;
}

void log_loaded(const config::Cluster& cluster, const char* what) {
    if (!serving(cluster)) return;
    ap_log_error(APLOG_MARK, APLOG_INFO, 0, ap_server_conf,
                 ZDU_LOG_POLICY_LOADED "cluster %s: new sessions chosen by %s",
                 cluster.name.c_str(), what);
}

std::string failure(const config::Cluster& cluster, const std::string& path,
                    const std::string& why) {
    return ZDU_LOG_POLICY_FAILED "cluster '" + cluster.name + "': policy-module '" + path +
           "': " + why;
}

// Relative paths are relative to ServerRoot, as LoadModule's are.
std::string module_path(const config::Cluster& cluster, apr_pool_t* pool) {
    const char* resolved = ap_server_root_relative(pool, cluster.policy_module.c_str());
    return resolved ? resolved : cluster.policy_module;
}

std::string real_path(const std::string& path) {
    char resolved[PATH_MAX];
    return ::realpath(path.c_str(), resolved) ? std::string(resolved) : std::string();
}

std::string real_path(const std::string& path, std::string& why) {
    char resolved[PATH_MAX];
    if (::realpath(path.c_str(), resolved)) return resolved;
    why = std::strerror(errno);
    return {};
}

// A reload runs what the file names in every child, so a policy-module must be inside a
// directory the httpd config allows (ZduPolicyModuleDir; default ServerRoot/modules). Symbolic
// links are resolved first, so one cannot point outside; a path that cannot be resolved is
// refused with the reason.
std::string outside_allowed_dirs(const std::string& path, apr_pool_t* pool) {
    std::string why;
    std::string real = real_path(path, why);
    if (real.empty()) return ZDU_LOG_POLICY_DIR "cannot be resolved: " + why;
    std::vector<std::string> dirs = module_state().policy_module_dirs;
    if (dirs.empty()) dirs.push_back(ap_server_root_relative(pool, "modules"));
    std::string names;
    for (const std::string& dir : dirs) {
        std::string d = real_path(dir);
        if (!d.empty() && real.compare(0, d.size() + 1, d + "/") == 0) return {};
        names += (names.empty() ? "" : ", ") + dir;
    }
    return ZDU_LOG_POLICY_DIR "not inside a directory ZduPolicyModuleDir allows (" + names +
           "); refused";
}

std::unique_ptr<routing::NewSessionPolicy> user_defined(const config::Cluster& cluster,
                                                        apr_pool_t* pool, std::string& error) {
    if (cluster.policy_module.empty()) {
        error = failure(cluster, "", "policy 'user-defined' needs a policy-module");
        return nullptr;
    }
    std::string path = module_path(cluster, pool);
    std::string why = outside_allowed_dirs(path, pool);
    if (!why.empty()) {
        error = failure(cluster, path, why);
        return nullptr;
    }
    std::unique_ptr<PolicyModule> module;
    try {
        routing::ClusterRoutes routes(cluster);
        module = PolicyModule::load(path, cluster, routes, why);
    } catch (const std::exception& e) {
        why = e.what();
    }
    if (!module) {
        error = failure(cluster, path, why);
        return nullptr;
    }
    std::string what = "policy module " + path + " (" + module->name() + ")";
    log_loaded(cluster, what.c_str());
    return std::make_unique<UserDefinedPolicy>(cluster, std::move(module));
}

}  // namespace

std::unique_ptr<routing::NewSessionPolicy> make_policy(const config::Cluster& cluster,
                                                       apr_pool_t* pool, std::string& error) {
    error.clear();
    switch (cluster.policy) {
        case config::Policy::UserDefined:
            return user_defined(cluster, pool, error);
        case config::Policy::Adaptive:
            log_loaded(cluster, "the adaptive policy (live load)");
            return std::make_unique<routing::AdaptivePolicy>(cluster);
        case config::Policy::RoundRobin:
        case config::Policy::WeightedRoundRobin:
            break;
    }
    return nullptr;
}

}  // namespace zdu::glue
