// A loaded policy module (include/mod_zdu_policy.h): its function table, the state its init()
// set up for one cluster, and the library that holds its code.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "config/model.hpp"
#include "mod_zdu/include/mod_zdu_policy.h"
#include "mod_zdu/policy/library.hpp"
#include "routing/cluster_routes.hpp"

namespace zdu::glue {

inline zdu_policy_string policy_string(std::string_view s) {
    return {s.data(), s.size()};
}

class PolicyModule {
  public:
    // Opens the library at `path`, checks its table and initialises it for `cluster`. Null with
    // `error` saying why (without naming the path: the caller does).
    static std::unique_ptr<PolicyModule> load(const std::string& path,
                                              const config::Cluster& cluster,
                                              const routing::ClusterRoutes& routes,
                                              std::string& error);

    // Checks `table` and runs its init(); `library` keeps its code loaded (empty for a table
    // linked into the caller).
    static std::unique_ptr<PolicyModule> start(const zdu_policy_v1* table, SharedLibrary library,
                                               const config::Cluster& cluster,
                                               const routing::ClusterRoutes& routes,
                                               std::string& error);

    // Takes over `state`, which destroy() gets when this goes.
    PolicyModule(const zdu_policy_v1& table, void* state, SharedLibrary library);
    ~PolicyModule();
    PolicyModule(const PolicyModule&) = delete;
    PolicyModule& operator=(const PolicyModule&) = delete;

    int choose(const zdu_policy_request& request, const zdu_policy_candidate* candidates,
               std::size_t n) const {
        return table_.choose(&request, candidates, n, state_);
    }
    const char* name() const { return table_.name ? table_.name : "unnamed"; }

  private:
    SharedLibrary library_;  // declared first, so it unloads after destroy() has run
    const zdu_policy_v1& table_;
    void* state_;
};

}  // namespace zdu::glue
