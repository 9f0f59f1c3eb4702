// policy="user-defined": a policy module (include/mod_zdu_policy.h) chooses among the instances
// that can take the new session; the cluster's round-robin schedule decides when it does not.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "mod_zdu/policy/module.hpp"
#include "routing/new_session_policy.hpp"

namespace zdu::glue {

class UserDefinedPolicy final : public routing::NewSessionPolicy {
  public:
    UserDefinedPolicy(const config::Cluster& cluster, std::unique_ptr<PolicyModule> module);

    int pick(const routing::ClusterRoutes& routes, const routing::PolicyRequest& request,
             routing::FunctionRef<bool(int)> takes,
             routing::FunctionRef<routing::InstanceLoad(int)> load) override;

    const PolicyModule& module() const { return *module_; }

  private:
    int fallback(const routing::ClusterRoutes& routes, routing::FunctionRef<bool(int)> takes);

    std::unique_ptr<PolicyModule> module_;
    std::vector<std::string> names_;  // the candidates' names point into these
    // The round-robin position when the module makes no choice. It is per process, unlike the
    // built-in policy's counter in shared memory: the fallback only needs to spread sessions,
    // not to split them exactly across children.
    std::atomic<std::uint64_t> fallback_counter_{0};
};

}  // namespace zdu::glue
