#include "config/config_diff.hpp"

#include <unordered_map>

namespace zdu::config {
namespace {

template <class T>
std::unordered_map<std::string, const T*> by_name(const std::vector<T>& items,
                                                  std::string T::*key) {
    std::unordered_map<std::string, const T*> map;
    for (const T& item : items) map.emplace(item.*key, &item);
    return map;
}

std::string joined(const std::string& cluster, const std::string& name) {
    return cluster + "/" + name;
}

// An instance as it was and is, apart from what the diff names separately.
bool same_but_state(Instance a, Instance b) {
    a.enabled = b.enabled;
    a.weight = b.weight;
    a.line = b.line;
    return a == b;
}

void diff_instance(const std::string& cluster, const Instance& a, const Instance& b,
                   ConfigDiff& d) {
    std::string name = joined(cluster, b.name);
    if (a.enabled && !b.enabled) d.instances_disabled.push_back(name);
    if (!a.enabled && b.enabled) d.instances_enabled.push_back(name);
    if (a.weight != b.weight) {
        d.weights.push_back(name + " " + std::to_string(a.weight) + "->" +
                            std::to_string(b.weight));
    }
    if (!same_but_state(a, b)) d.other = true;
}

void diff_instances(const Cluster& a, const Cluster& b, ConfigDiff& d) {
    auto before = by_name(a.instances, &Instance::name);
    auto after = by_name(b.instances, &Instance::name);
    for (const Instance& inst : b.instances) {
        auto it = before.find(inst.name);
        if (it == before.end()) {
            d.instances_added.push_back(joined(b.name, inst.name));
        } else {
            diff_instance(b.name, *it->second, inst, d);
        }
    }
    for (const Instance& inst : a.instances) {
        if (!after.count(inst.name)) d.instances_removed.push_back(joined(a.name, inst.name));
    }
}

void diff_web_modules(const Cluster& a, const Cluster& b, ConfigDiff& d) {
    auto before = by_name(a.web_modules, &WebModule::context_root);
    auto after = by_name(b.web_modules, &WebModule::context_root);
    for (const WebModule& wm : b.web_modules) {
        auto it = before.find(wm.context_root);
        if (it == before.end()) {
            d.web_modules_added.push_back(b.name + wm.context_root);
        } else if (!(*it->second == wm)) {
            d.other = true;
        }
    }
    for (const WebModule& wm : a.web_modules) {
        if (!after.count(wm.context_root))
            d.web_modules_removed.push_back(a.name + wm.context_root);
    }
}

// Cluster settings other than its instances and web-modules.
bool same_settings(const Cluster& a, const Cluster& b) {
    return a.policy == b.policy && a.policy_module == b.policy_module &&
           a.health_checker == b.health_checker && a.session_cookie == b.session_cookie;
}

void list(std::string& out, const char* what, const std::vector<std::string>& names) {
    constexpr std::size_t kShown = 5;
    if (names.empty()) return;
    if (!out.empty()) out += "; ";
    out += what;
    for (std::size_t i = 0; i < names.size() && i < kShown; ++i) out += " " + names[i];
    if (names.size() > kShown) out += " +" + std::to_string(names.size() - kShown) + " more";
}

}  // namespace

ConfigCounts count(const LoadBalancer& lb) {
    ConfigCounts c;
    c.clusters = lb.clusters.size();
    for (const Cluster& cluster : lb.clusters) {
        c.instances += cluster.instances.size();
        c.web_modules += cluster.web_modules.size();
    }
    return c;
}

bool ConfigDiff::empty() const {
    return clusters_added.empty() && clusters_removed.empty() && instances_added.empty() &&
           instances_removed.empty() && instances_enabled.empty() && instances_disabled.empty() &&
           weights.empty() && web_modules_added.empty() && web_modules_removed.empty() && !other;
}

ConfigDiff diff(const LoadBalancer& before, const LoadBalancer& after) {
    ConfigDiff d;
    auto old_clusters = by_name(before.clusters, &Cluster::name);
    auto new_clusters = by_name(after.clusters, &Cluster::name);
    for (const Cluster& c : after.clusters) {
        auto it = old_clusters.find(c.name);
        if (it == old_clusters.end()) {
            d.clusters_added.push_back(c.name);
            continue;
        }
        diff_instances(*it->second, c, d);
        diff_web_modules(*it->second, c, d);
        if (!same_settings(*it->second, c)) d.other = true;
    }
    for (const Cluster& c : before.clusters) {
        if (!new_clusters.count(c.name)) d.clusters_removed.push_back(c.name);
    }
    if (!(before.properties == after.properties)) d.other = true;
    return d;
}

std::string describe(const ConfigDiff& d) {
    std::string out;
    list(out, "clusters added", d.clusters_added);
    list(out, "clusters removed", d.clusters_removed);
    list(out, "instances added", d.instances_added);
    list(out, "instances removed", d.instances_removed);
    list(out, "instances enabled", d.instances_enabled);
    list(out, "instances disabled", d.instances_disabled);
    list(out, "weights", d.weights);
    list(out, "web-modules added", d.web_modules_added);
    list(out, "web-modules removed", d.web_modules_removed);
    if (d.other) out += out.empty() ? "other settings" : "; other settings";
    return out.empty() ? "no change" : out;
}

}  // namespace zdu::config
