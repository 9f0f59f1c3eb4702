#include "routing/cluster_routes.hpp"

#include <algorithm>
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

void ClusterRoutes::insert(std::vector<Slot>& slots, std::string_view key, int instance) {
    std::size_t mask = slots.size() - 1;
    std::uint64_t h = stable_hash(key);
    std::size_t pos = h & mask;
    while (slots[pos].instance >= 0) pos = (pos + 1) & mask;
    slots[pos] = Slot{h, instance};
}

int ClusterRoutes::lookup(const std::vector<Slot>& slots, const std::vector<std::string>& keys,
                          std::string_view key) {
    if (key.empty()) return -1;
    std::size_t mask = slots.size() - 1;
    std::uint64_t h = stable_hash(key);
    for (std::size_t pos = h & mask;; pos = (pos + 1) & mask) {
        const Slot& s = slots[pos];
        if (s.instance < 0) return -1;
        if (s.hash == h && keys[s.instance] == key) return s.instance;
    }
}

namespace {

std::string route_of(const config::Cluster& cluster, const config::Instance& inst) {
    std::string route = inst.route.empty() ? derive_route_id(cluster.name, inst.name) : inst.route;
    if (!is_valid_route_id(route)) {
        throw std::invalid_argument("instance '" + inst.name + "' of cluster '" + cluster.name +
                                    "': invalid route id '" + route + "'");
    }
    return route;
}

int new_session_weight(const config::Cluster& cluster, const config::Instance& inst) {
    bool takes_new = inst.enabled && inst.weight > 0;
    bool weighted = cluster.policy == config::Policy::WeightedRoundRobin;
    return takes_new ? (weighted ? inst.weight : 1) : 0;
}

}  // namespace

ClusterRoutes::ClusterRoutes(const config::Cluster& cluster) {
    const std::size_t n = cluster.instances.size();
    route_slots_.resize(table_size_for(n));
    name_slots_.resize(table_size_for(n));
    std::vector<int> weights;
    std::vector<std::string> domain_names;
    for (const auto& inst : cluster.instances) {
        int index = static_cast<int>(routes_.size());
        std::string route = route_of(cluster, inst);
        if (find(route) >= 0) {
            throw std::invalid_argument("instance '" + inst.name + "' of cluster '" + cluster.name +
                                        "' has the same route id '" + route +
                                        "' as another instance; give one an explicit route");
        }
        insert(route_slots_, route, index);
        routes_.push_back(std::move(route));
        insert(name_slots_, inst.name, index);
        names_.push_back(inst.name);
        all_.push_back(index);
        weights.push_back(new_session_weight(cluster, inst));
        domain_of_.push_back(add_to_domain(domain_names, inst.domain, index));
    }
    schedule_ = build_schedule(weights);
    index_versions(cluster, weights);
}

void ClusterRoutes::index_versions(const config::Cluster& cluster,
                                   const std::vector<int>& weights) {
    for (const auto& inst : cluster.instances) {
        if (std::find(versions_.begin(), versions_.end(), inst.version) == versions_.end()) {
            versions_.push_back(inst.version);
        }
    }
    std::sort(versions_.begin(), versions_.end(), [](const std::string& a, const std::string& b) {
        return compare_versions(a, b) > 0;
    });
    members_.resize(versions_.size());
    for (std::size_t i = 0; i < cluster.instances.size(); ++i) {
        int v = find_version(cluster.instances[i].version);
        version_of_.push_back(v);
        members_[v].push_back(static_cast<int>(i));
    }
    for (std::size_t v = 0; v < versions_.size(); ++v) {
        std::vector<int> own(weights.size(), 0);
        for (int i : members_[v]) own[i] = weights[i];
        version_schedules_.push_back(build_schedule(own));
    }
    if (!cluster.active_version.empty()) plan_.active = find_version(cluster.active_version);
    if (!cluster.canary_version.empty()) plan_.canary = find_version(cluster.canary_version);
    plan_.canary_percent = std::clamp(cluster.canary_percent, 0, 100);
}

int ClusterRoutes::find_version(std::string_view text) const {
    // A handful of versions at most: a linear search beats hashing here.
    auto it = std::find(versions_.begin(), versions_.end(), text);
    return it == versions_.end() ? -1 : static_cast<int>(it - versions_.begin());
}

int ClusterRoutes::add_to_domain(std::vector<std::string>& domain_names, const std::string& domain,
                                 int index) {
    if (domain.empty()) return -1;
    auto it = std::find(domain_names.begin(), domain_names.end(), domain);
    int d = static_cast<int>(it - domain_names.begin());
    if (it == domain_names.end()) {
        domain_names.push_back(domain);
        domains_.emplace_back();
    }
    domains_[d].push_back(index);
    return d;
}

int ClusterRoutes::find(std::string_view route) const {
    return lookup(route_slots_, routes_, route);
}

int ClusterRoutes::find_name(std::string_view name) const {
    return lookup(name_slots_, names_, name);
}

const std::vector<int>& ClusterRoutes::same_domain(int instance) const {
    int d = domain_of_[instance];
    return d < 0 ? no_domain_ : domains_[d];
}

}  // namespace zdu::routing
