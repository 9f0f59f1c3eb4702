// Per-cluster routing tables compiled once from the config: route id -> instance in O(1), and the
// weighted round-robin schedule of the instances that take new sessions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.hpp"

namespace zdu::routing {

class ClusterRoutes {
public:
    // Throws std::invalid_argument when two instances end up with the same route id or an
    // explicit route is not a valid route id.
    explicit ClusterRoutes(const config::Cluster& cluster);

    // Index of the instance whose route id is `route`; -1 when none of this cluster.
    int find(std::string_view route) const;

    const std::string& route(int instance) const { return routes_[instance]; }
    std::size_t size() const { return routes_.size(); }

    // Instance indexes in weighted round-robin order (enabled instances with weight > 0 only),
    // interleaved so that any window of the schedule is close to the weights.
    const std::vector<int>& schedule() const { return schedule_; }

private:
    struct Slot {
        std::uint64_t hash = 0;
        int instance = -1;
    };
    std::vector<std::string> routes_;
    std::vector<Slot> slots_;  // open addressing, size a power of two
    std::vector<int> schedule_;
};

// The largest schedule built; bigger weight sums are scaled down to it.
constexpr std::size_t kMaxScheduleLength = 1u << 16;

// Weighted round-robin order for `weights` (0 = not scheduled): each index appears in proportion
// to its weight, evenly spread.
std::vector<int> build_schedule(const std::vector<int>& weights);

}  // namespace zdu::routing
