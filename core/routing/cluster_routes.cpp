#include "routing/cluster_routes.hpp"

#include <numeric>
#include <queue>
#include <stdexcept>
#include <utility>

#include "routing/hash.hpp"
#include "routing/route_id.hpp"

namespace zdu::routing {
namespace {

std::size_t table_size_for(std::size_t n) {
    std::size_t size = 8;
    while (size < n * 2) size <<= 1;
    return size;
}

std::vector<int> scaled_weights(const std::vector<int>& weights) {
    int g = 0;
    for (int w : weights) g = std::gcd(g, w > 0 ? w : 0);
    std::vector<int> out(weights.size(), 0);
    if (g == 0) return out;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        out[i] = weights[i] > 0 ? weights[i] / g : 0;
        total += static_cast<std::uint64_t>(out[i]);
    }
    if (total <= kMaxScheduleLength) return out;
    for (auto& w : out) {
        if (w > 0) w = std::max<int>(1, static_cast<int>(w * kMaxScheduleLength / total));
    }
    return out;
}

}  // namespace

std::vector<int> build_schedule(const std::vector<int>& weights) {
    std::vector<int> w = scaled_weights(weights);
    // Stride scheduling: each instance advances by 1/weight; the smallest pass goes next.
    using Entry = std::pair<double, int>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
    std::size_t length = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (w[i] <= 0) continue;
        queue.emplace(0.5 / w[i], static_cast<int>(i));
        length += static_cast<std::size_t>(w[i]);
    }
    std::vector<int> schedule;
    schedule.reserve(length);
    while (schedule.size() < length) {
        auto [pass, i] = queue.top();
        queue.pop();
        schedule.push_back(i);
        queue.emplace(pass + 1.0 / w[i], i);
    }
    return schedule;
}

ClusterRoutes::ClusterRoutes(const config::Cluster& cluster) {
    routes_.reserve(cluster.instances.size());
    slots_.resize(table_size_for(cluster.instances.size()));
    std::vector<int> weights;
    for (const auto& inst : cluster.instances) {
        std::string route =
            inst.route.empty() ? derive_route_id(cluster.name, inst.name) : inst.route;
        if (!is_valid_route_id(route)) {
            throw std::invalid_argument("instance '" + inst.name + "' of cluster '" +
                                        cluster.name + "': invalid route id '" + route + "'");
        }
        if (find(route) >= 0) {
            throw std::invalid_argument("instance '" + inst.name + "' of cluster '" +
                                        cluster.name + "' has the same route id '" + route +
                                        "' as another instance; give one an explicit route");
        }
        std::size_t mask = slots_.size() - 1;
        std::uint64_t h = stable_hash(route);
        std::size_t pos = h & mask;
        while (slots_[pos].instance >= 0) pos = (pos + 1) & mask;
        slots_[pos] = Slot{h, static_cast<int>(routes_.size())};
        routes_.push_back(std::move(route));
        bool takes_new = inst.enabled && inst.weight > 0;
        bool weighted = cluster.policy == config::Policy::WeightedRoundRobin;
        weights.push_back(takes_new ? (weighted ? inst.weight : 1) : 0);
    }
    schedule_ = build_schedule(weights);
}

int ClusterRoutes::find(std::string_view route) const {
    if (route.empty()) return -1;
    std::size_t mask = slots_.size() - 1;
    std::uint64_t h = stable_hash(route);
    for (std::size_t pos = h & mask;; pos = (pos + 1) & mask) {
        const Slot& s = slots_[pos];
        if (s.instance < 0) return -1;
        if (s.hash == h && routes_[s.instance] == route) return s.instance;
    }
}

}  // namespace zdu::routing
