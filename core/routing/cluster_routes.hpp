// Per-cluster routing tables compiled once from the config: route id -> instance in O(1), and the
// weighted round-robin schedule of the instances that take new sessions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.hpp"
#include "routing/version.hpp"

namespace zdu::routing {

class ClusterRoutes {
  public:
    // Throws std::invalid_argument when two instances end up with the same route id or an
    // explicit route is not a valid route id.
    explicit ClusterRoutes(const config::Cluster& cluster);

    // Index of the instance whose route id is `route`; -1 when none of this cluster.
    int find(std::string_view route) const;
    // Index of the instance named `name`; -1 when none of this cluster.
    int find_name(std::string_view name) const;

    const std::string& route(int instance) const { return routes_[instance]; }
    std::size_t size() const { return routes_.size(); }

    // Instance indexes in weighted round-robin order (enabled instances with weight > 0 only),
    // interleaved so that any window of the schedule is close to the weights.
    const std::vector<int>& schedule() const { return schedule_; }

    // Every instance, and the instances of the same domain as `instance` (empty when it has no
    // domain), in config order: the candidate lists of consistent-hash failover.
    const std::vector<int>& all() const { return all_; }
    const std::vector<int>& same_domain(int instance) const;

    // The distinct versions of the instances, highest first; "" is the version of instances
    // that name none (a cluster without versions has that one version).
    const std::vector<std::string>& versions() const { return versions_; }
    int version_of(int instance) const { return version_of_[instance]; }
    // Index into versions(); -1 when no instance runs `text`.
    int find_version(std::string_view text) const;
    // The instances of one version, in config order.
    const std::vector<int>& version_members(int version) const { return members_[version]; }
    const std::vector<int>& same_version(int instance) const {
        return members_[version_of_[instance]];
    }
    // schedule() restricted to one version, built with that version's weights alone so that
    // picking inside a version stays one step of a round-robin.
    const std::vector<int>& schedule(int version) const { return version_schedules_[version]; }
    // active-version, canary-version and canary-percent as indexes; a named version no
    // instance runs is -1 (the checks refuse it at load).
    const VersionPlan& plan() const { return plan_; }

  private:
    struct Slot {
        std::uint64_t hash = 0;
        int instance = -1;
    };
    // Open addressing over `keys`, size a power of two.
    static void insert(std::vector<Slot>& slots, std::string_view key, int instance);
    static int lookup(const std::vector<Slot>& slots, const std::vector<std::string>& keys,
                      std::string_view key);
    void index_versions(const config::Cluster& cluster, const std::vector<int>& weights);
    int add_to_domain(std::vector<std::string>& domain_names, const std::string& domain, int index);

    std::vector<std::string> routes_;
    std::vector<std::string> names_;
    std::vector<Slot> route_slots_;
    std::vector<Slot> name_slots_;
    std::vector<int> schedule_;
    std::vector<int> all_;
    std::vector<int> domain_of_;  // index into domains_, -1: none
    std::vector<std::vector<int>> domains_;
    std::vector<int> no_domain_;
    std::vector<std::string> versions_;
    std::vector<int> version_of_;
    std::vector<std::vector<int>> members_;
    std::vector<std::vector<int>> version_schedules_;
    VersionPlan plan_;
};

// The largest schedule built; bigger weight sums are scaled down to it.
constexpr std::size_t kMaxScheduleLength = 1u << 16;

// Weighted round-robin order for `weights` (0 = not scheduled): each index appears in proportion
// to its weight, evenly spread.
std::vector<int> build_schedule(const std::vector<int>& weights);

}  // namespace zdu::routing
