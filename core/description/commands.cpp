#include "description/commands.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>

#include "routing/version.hpp"

namespace zdu::description {
namespace {

std::string quoted(std::string_view s) {
    return "'" + std::string(s) + "'";
}

template <class T>
T* find_ref(std::vector<T>& refs, std::string_view name) {
    for (T& r : refs)
        if (r.ref == name) return &r;
    return nullptr;
}

template <class T>
bool erase_ref(std::vector<T>& refs, std::string_view name) {
    auto it = std::find_if(refs.begin(), refs.end(), [&](const T& r) { return r.ref == name; });
    if (it == refs.end()) return false;
    refs.erase(it);
    return true;
}

// An instance with no server-ref in its cluster-ref is lb-enabled (the model's default), so a
// command that changes one instance first gives the ref its explicit entry.
ServerRef& server_ref_in(ClusterRef& ref, std::string_view server) {
    if (ServerRef* existing = find_ref(ref.server_refs, server)) return *existing;
    ServerRef added;
    added.ref = std::string(server);
    ref.server_refs.push_back(added);
    return ref.server_refs.back();
}

// Explicit server-refs follow the cluster's server order, so an edited file reads like the
// cluster it refers to whatever order the commands ran in.
void order_like_cluster(ClusterRef& ref, const Cluster& cluster) {
    auto rank = [&](const ServerRef& r) {
        auto it = std::find_if(cluster.servers.begin(), cluster.servers.end(),
                               [&](const Server& s) { return s.name == r.ref; });
        return it - cluster.servers.begin();
    };
    std::stable_sort(ref.server_refs.begin(), ref.server_refs.end(),
                     [&](const ServerRef& a, const ServerRef& b) { return rank(a) < rank(b); });
}

ApplicationRef& application_ref_in(std::vector<ApplicationRef>& refs, std::string_view app) {
    if (ApplicationRef* existing = find_ref(refs, app)) return *existing;
    ApplicationRef added;
    added.ref = std::string(app);
    refs.push_back(added);
    return refs.back();
}

void set_enabled(bool& lb_enabled, int& timeout, bool enabled, std::optional<int> minutes) {
    lb_enabled = enabled;
    if (!enabled && minutes) timeout = *minutes;
}

std::optional<std::string> timeout_problem(std::optional<int> minutes) {
    if (minutes && *minutes < 0) return "--timeout must be 0 or more minutes";
    return std::nullopt;
}

bool deployed_on_cluster(const Cluster& c, std::string_view app) {
    return std::any_of(c.application_refs.begin(), c.application_refs.end(),
                       [&](const ApplicationRef& r) { return r.ref == app; });
}

bool deployed_on_server(const Server& s, std::string_view app) {
    return std::any_of(s.application_refs.begin(), s.application_refs.end(),
                       [&](const ApplicationRef& r) { return r.ref == app; });
}

ClusterRef cluster_ref_for(const Cluster& cluster, const LbRefOptions& options) {
    ClusterRef ref;
    ref.ref = cluster.name;
    if (options.policy) ref.policy = *options.policy;
    ref.policy_module = options.policy_module;
    ref.health_checker = options.health;
    for (const Server& s : cluster.servers) {
        ServerRef sr;
        sr.ref = s.name;
        sr.lb_enabled = options.enable_all_instances;
        ref.server_refs.push_back(sr);
    }
    for (const ApplicationRef& a : cluster.application_refs) {
        ApplicationRef ar;
        ar.ref = a.ref;
        ar.lb_enabled = options.enable_all_applications;
        ref.application_refs.push_back(ar);
    }
    return ref;
}

ServerRef server_ref_for(const Server& server, const LbRefOptions& options) {
    ServerRef ref;
    ref.ref = server.name;
    ref.lb_enabled = options.enable_all_instances;
    ref.health_checker = options.health;
    for (const ApplicationRef& a : server.application_refs) {
        ApplicationRef ar;
        ar.ref = a.ref;
        ar.lb_enabled = options.enable_all_applications;
        ref.application_refs.push_back(ar);
    }
    return ref;
}

std::optional<std::string> weights_problem(const Cluster& c,
                                           const std::vector<std::pair<std::string, int>>& w) {
    for (const auto& entry : w) {
        // Not a structured binding: a lambda may capture one only from C++20 on (clang says so).
        const std::string& name = entry.first;
        const int weight = entry.second;
        const bool known = std::any_of(c.servers.begin(), c.servers.end(),
                                       [&](const Server& s) { return s.name == name; });
        if (!known) return "cluster " + quoted(c.name) + " has no instance " + quoted(name);
        if (weight < 0) return "weight of " + quoted(name) + " must be 0 or more";
    }
    return std::nullopt;
}

void apply_weights(Cluster& c, const std::vector<std::pair<std::string, int>>& weights) {
    for (const auto& [name, weight] : weights)
        for (Server& s : c.servers)
            if (s.name == name) s.weight = weight;
}

// What is wrong with a health checker, naming the options it came from.
std::optional<std::string> health_checker_problem(const config::HealthChecker& checker,
                                                  const std::string& url,
                                                  const std::string& interval,
                                                  const std::string& timeout) {
    if (checker.url.empty() || checker.url[0] != '/')
        return url + " must start with '/': " + quoted(checker.url);
    if (checker.interval_seconds < 0 || checker.timeout_seconds <= 0)
        return interval + " must be 0 or more and " + timeout + " more than 0";
    return std::nullopt;
}

// Adds the ref for `target` to `config`; the error when it cannot.
std::string add_ref(Description& d, LbConfig& config, std::string_view target,
                    const LbRefOptions& options) {
    if (find_ref(config.cluster_refs, target) || find_ref(config.server_refs, target))
        return "lb-config " + quoted(config.name) + " already references " + quoted(target);
    if (options.health) {
        if (auto why = health_checker_problem(*options.health, "--healthcheckerurl",
                                              "--healthcheckerinterval", "--healthcheckertimeout"))
            return *why;
    }
    if (Cluster* cluster = find_cluster(d, target)) {
        if (auto why = weights_problem(*cluster, options.weights)) return *why;
        apply_weights(*cluster, options.weights);
        config.cluster_refs.push_back(cluster_ref_for(*cluster, options));
        return {};
    }
    if (const Server* server = find_standalone_server(d, target)) {
        if (options.policy || !options.policy_module.empty() || !options.weights.empty())
            return "--lbpolicy, --lbpolicymodule and --lbweight apply to clusters only; " +
                   quoted(target) + " is a standalone server";
        config.server_refs.push_back(server_ref_for(*server, options));
        return {};
    }
    if (find_clustered_server(d, target))
        return quoted(target) + " is a clustered instance: reference its cluster";
    return "no cluster or standalone server named " + quoted(target);
}

bool cluster_ref_enabled(const Description& d, const ClusterRef& ref) {
    const Cluster* cluster = find_cluster(d, ref.ref);
    if (cluster == nullptr) return false;
    for (const Server& s : cluster->servers) {
        auto it = std::find_if(ref.server_refs.begin(), ref.server_refs.end(),
                               [&](const ServerRef& r) { return r.ref == s.name; });
        if (it == ref.server_refs.end() || it->lb_enabled) return true;
    }
    return false;
}

Cluster* cluster_or_refusal(Description& d, std::string_view name, EditResult& refusal) {
    Cluster* c = find_cluster(d, name);
    if (c == nullptr) refusal = EditResult::refused("no cluster named " + quoted(name));
    return c;
}

Server* server_in(Cluster& c, std::string_view name) {
    for (Server& s : c.servers)
        if (s.name == name) return &s;
    return nullptr;
}

// The health checker of `target`'s ref in `config`; nullptr when the config has no such ref.
std::optional<config::HealthChecker>* health_checker_slot(LbConfig& config,
                                                          std::string_view target) {
    if (ClusterRef* ref = find_ref(config.cluster_refs, target)) return &ref->health_checker;
    if (ServerRef* ref = find_ref(config.server_refs, target)) return &ref->health_checker;
    return nullptr;
}

// Runs `edit` on the ref named `name` in the `refs` (cluster_refs or server_refs) of every
// lb-config that has one; how many there were.
template <class Ref, class Edit>
std::size_t for_each_ref(Description& d, std::vector<Ref> LbConfig::*refs, std::string_view name,
                         Edit edit) {
    std::size_t changed = 0;
    for (LbConfig& config : d.lb_configs) {
        if (Ref* ref = find_ref(config.*refs, name)) {
            edit(*ref);
            ++changed;
        }
    }
    return changed;
}

EditResult not_referenced(std::string_view target) {
    return EditResult::refused("no lb-config references " + quoted(target) +
                               ": create-http-lb-ref first");
}

bool name_taken(const Description& d, std::string_view name) {
    return find_cluster(d, name) || find_standalone_server(d, name) ||
           find_clustered_server(d, name);
}

}  // namespace

EditResult create_lb_config(Description& d, std::string_view name,
                            const std::vector<std::string>& targets,
                            const std::vector<config::Property>& properties) {
    return create_lb_config(d, name, targets, properties, LbRefOptions{});
}

std::string default_lb_config_name(std::string_view base) {
    return std::string(base) + "_LB_CONFIG";
}

EditResult create_lb_config(Description& d, std::string_view name,
                            const std::vector<std::string>& targets,
                            const std::vector<config::Property>& properties,
                            const LbRefOptions& options) {
    if (name.empty()) return EditResult::refused("the lb-config name is empty");
    if (find_lb_config(d, name))
        return EditResult::refused("lb-config " + quoted(name) + " already exists");
    LbConfig config;
    config.name = std::string(name);
    for (const config::Property& p : properties) {
        auto same = [&](const config::Property& q) { return q.name == p.name; };
        if (std::any_of(config.properties.begin(), config.properties.end(), same))
            return EditResult::refused("property " + quoted(p.name) + " given twice");
        config.properties.push_back(p);
    }
    for (const std::string& target : targets) {
        std::string why = add_ref(d, config, target, options);
        if (!why.empty()) return EditResult::refused(why);
    }
    d.lb_configs.push_back(config);
    return EditResult::made("lb-config " + quoted(name) + " created");
}

EditResult delete_lb_config(Description& d, std::string_view name) {
    if (!find_lb_config(d, name)) return EditResult::refused("no lb-config named " + quoted(name));
    for (const LoadBalancerDef& lb : d.load_balancers)
        if (lb.lb_config_name == name)
            return EditResult::refused("lb-config " + quoted(name) + " is used by load-balancer " +
                                       quoted(lb.name) + ": delete-http-lb it first");
    d.lb_configs.erase(std::find_if(d.lb_configs.begin(), d.lb_configs.end(),
                                    [&](const LbConfig& c) { return c.name == name; }));
    return EditResult::made("lb-config " + quoted(name) + " deleted");
}

LbConfig* select_lb_config(Description& d, const ConfigSelector& which, std::string& why) {
    if (which.config.empty() == which.lb_name.empty()) {
        why = "give either --config or --lbname";
        return nullptr;
    }
    std::string name = which.config;
    if (!which.lb_name.empty()) {
        const LoadBalancerDef* lb = find_load_balancer(d, which.lb_name);
        if (lb == nullptr) {
            why = "no load-balancer named " + quoted(which.lb_name);
            return nullptr;
        }
        name = lb->lb_config_name;
    }
    LbConfig* config = find_lb_config(d, name);
    if (config == nullptr) why = "no lb-config named " + quoted(name);
    return config;
}

EditResult create_lb_ref(Description& d, const ConfigSelector& which, std::string_view target,
                         const LbRefOptions& options) {
    std::string why;
    LbConfig* config = select_lb_config(d, which, why);
    if (config == nullptr) return EditResult::refused(why);
    why = add_ref(d, *config, target, options);
    if (!why.empty()) return EditResult::refused(why);
    return EditResult::made(quoted(target) + " added to lb-config " + quoted(config->name));
}

EditResult delete_lb_ref(Description& d, const ConfigSelector& which, std::string_view target,
                         bool force) {
    std::string why;
    LbConfig* config = select_lb_config(d, which, why);
    if (config == nullptr) return EditResult::refused(why);
    bool enabled = false;
    if (const ClusterRef* ref = find_ref(config->cluster_refs, target)) {
        enabled = cluster_ref_enabled(d, *ref);
    } else if (const ServerRef* sref = find_ref(config->server_refs, target)) {
        enabled = sref->lb_enabled;
    } else {
        return EditResult::refused("lb-config " + quoted(config->name) + " has no ref to " +
                                   quoted(target));
    }
    if (enabled && !force)
        return EditResult::refused(quoted(target) + " is still lb-enabled in " +
                                   quoted(config->name) +
                                   ": disable-http-lb-server it first (or --force)");
    if (!erase_ref(config->cluster_refs, target)) erase_ref(config->server_refs, target);
    return EditResult::made(quoted(target) + " removed from lb-config " + quoted(config->name));
}

EditResult create_health_checker(Description& d, const ConfigSelector& which,
                                 std::string_view target, const config::HealthChecker& checker) {
    std::string why;
    LbConfig* config = select_lb_config(d, which, why);
    if (config == nullptr) return EditResult::refused(why);
    if (auto why = health_checker_problem(checker, "--url", "--interval", "--timeout"))
        return EditResult::refused(*why);
    std::optional<config::HealthChecker>* slot = health_checker_slot(*config, target);
    if (slot == nullptr)
        return EditResult::refused("lb-config " + quoted(config->name) + " has no ref to " +
                                   quoted(target));
    if (*slot)
        return EditResult::refused(quoted(target) + " already has a health checker in " +
                                   quoted(config->name));
    *slot = checker;
    (*slot)->line = 0;
    return EditResult::made("health checker " + checker.url + " set for " + quoted(target));
}

EditResult delete_health_checker(Description& d, const ConfigSelector& which,
                                 std::string_view target) {
    std::string why;
    LbConfig* config = select_lb_config(d, which, why);
    if (config == nullptr) return EditResult::refused(why);
    std::optional<config::HealthChecker>* slot = health_checker_slot(*config, target);
    if (slot == nullptr || !*slot)
        return EditResult::refused(quoted(target) + " has no health checker in " +
                                   quoted(config->name));
    slot->reset();
    return EditResult::made("health checker of " + quoted(target) + " deleted");
}

EditResult set_lb_server_enabled(Description& d, std::string_view target, bool enabled,
                                 std::optional<int> timeout_minutes) {
    if (auto why = timeout_problem(timeout_minutes)) return EditResult::refused(*why);
    const char* verb = enabled ? "enabled" : "disabled";
    auto set = [&](ServerRef& sr) {
        set_enabled(sr.lb_enabled, sr.disable_timeout_minutes, enabled, timeout_minutes);
    };
    std::size_t changed = 0;
    if (const Cluster* cluster = find_cluster(d, target)) {
        changed = for_each_ref(d, &LbConfig::cluster_refs, target, [&](ClusterRef& ref) {
            for (const Server& s : cluster->servers) set(server_ref_in(ref, s.name));
            order_like_cluster(ref, *cluster);
        });
    } else if (const Cluster* owner = nullptr; find_clustered_server(d, target, &owner)) {
        changed = for_each_ref(d, &LbConfig::cluster_refs, owner->name, [&](ClusterRef& ref) {
            set(server_ref_in(ref, target));
            order_like_cluster(ref, *owner);
        });
    } else if (find_standalone_server(d, target)) {
        changed = for_each_ref(d, &LbConfig::server_refs, target, set);
    } else {
        return EditResult::refused("no cluster, instance or standalone server named " +
                                   quoted(target));
    }
    if (changed == 0) return not_referenced(target);
    return EditResult::made(quoted(target) + " " + verb + " in " + std::to_string(changed) +
                            " lb-config(s)");
}

EditResult set_lb_application_enabled(Description& d, std::string_view target,
                                      std::string_view application, bool enabled,
                                      std::optional<int> timeout_minutes) {
    if (auto why = timeout_problem(timeout_minutes)) return EditResult::refused(*why);
    if (!find_application(d, application))
        return EditResult::refused("no application named " + quoted(application));
    const char* verb = enabled ? "enabled" : "disabled";
    auto set = [&](auto& ref) {
        ApplicationRef& ar = application_ref_in(ref.application_refs, application);
        set_enabled(ar.lb_enabled, ar.disable_timeout_minutes, enabled, timeout_minutes);
    };
    std::size_t changed = 0;
    if (const Cluster* cluster = find_cluster(d, target)) {
        if (!deployed_on_cluster(*cluster, application))
            return EditResult::refused("application " + quoted(application) +
                                       " is not deployed on cluster " + quoted(target));
        changed = for_each_ref(d, &LbConfig::cluster_refs, target, set);
    } else if (const Server* server = find_standalone_server(d, target)) {
        if (!deployed_on_server(*server, application))
            return EditResult::refused("application " + quoted(application) +
                                       " is not deployed on server " + quoted(target));
        changed = for_each_ref(d, &LbConfig::server_refs, target, set);
    } else {
        return EditResult::refused("no cluster or standalone server named " + quoted(target));
    }
    if (changed == 0) return not_referenced(target);
    return EditResult::made("application " + quoted(application) + " " + verb + " on " +
                            quoted(target) + " in " + std::to_string(changed) + " lb-config(s)");
}

EditResult configure_lb_weight(Description& d, std::string_view cluster,
                               const std::vector<std::pair<std::string, int>>& weights) {
    EditResult refusal;
    Cluster* c = cluster_or_refusal(d, cluster, refusal);
    if (c == nullptr) return refusal;
    if (weights.empty()) return EditResult::refused("no instance=weight given");
    if (auto why = weights_problem(*c, weights)) return EditResult::refused(*why);
    apply_weights(*c, weights);
    return EditResult::made("weights of cluster " + quoted(cluster) + " set");
}

std::optional<std::vector<std::pair<std::string, int>>> parse_weights(std::string_view text,
                                                                      std::string& why) {
    std::vector<std::pair<std::string, int>> out;
    while (!text.empty()) {
        const std::size_t colon = text.find(':');
        std::string_view part = text.substr(0, colon);
        text = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
        const std::size_t eq = part.find('=');
        int weight = -1;
        const char* end = part.data() + part.size();
        if (eq == std::string_view::npos || eq == 0 ||
            std::from_chars(part.data() + eq + 1, end, weight).ptr != end ||
            eq + 1 == part.size()) {
            why = "expected instance=weight, got " + quoted(part);
            return std::nullopt;
        }
        out.emplace_back(std::string(part.substr(0, eq)), weight);
    }
    if (out.empty()) why = "expected instance=weight[:instance=weight...]";
    if (out.empty()) return std::nullopt;
    return out;
}

EditResult create_lb(Description& d, const LoadBalancerDef& lb) {
    if (lb.name.empty()) return EditResult::refused("the load-balancer name is empty");
    if (find_load_balancer(d, lb.name))
        return EditResult::refused("load-balancer " + quoted(lb.name) + " already exists");
    if (!find_lb_config(d, lb.lb_config_name))
        return EditResult::refused("no lb-config named " + quoted(lb.lb_config_name));
    for (const FrontEnd& f : lb.front_ends) {
        if (f.url.rfind("http://", 0) != 0 && f.url.rfind("https://", 0) != 0)
            return EditResult::refused("front-end URL must be http:// or https://: " +
                                       quoted(f.url));
    }
    d.load_balancers.push_back(lb);
    return EditResult::made("load-balancer " + quoted(lb.name) + " created");
}

EditResult create_lb_with_config(Description& d, LoadBalancerDef lb, const NewLbConfig& config,
                                 const LbRefOptions& options) {
    if (lb.name.empty()) return EditResult::refused("the load-balancer name is empty");
    lb.lb_config_name = default_lb_config_name(lb.name);
    // Edited on a copy: the lb-config and the load-balancer are made together or not at all.
    Description edited = d;
    EditResult made =
        create_lb_config(edited, lb.lb_config_name, config.targets, config.properties, options);
    if (!made.ok()) return made;
    made = create_lb(edited, lb);
    if (!made.ok()) return made;
    d = std::move(edited);
    return EditResult::made("load-balancer " + quoted(lb.name) + " created with lb-config " +
                            quoted(lb.lb_config_name));
}

// An IPv6 address, bare or in its URL brackets: the only host a ':' or brackets may be in (a
// "host:port" would otherwise become the URL of a host named "[host:port]").
static bool ipv6_literal(std::string_view host) {
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    in6_addr address{};
    return ::inet_pton(AF_INET6, std::string(host).c_str(), &address) == 1;
}

std::optional<std::string> device_front_end_url(std::string_view host, int port, std::string& why) {
    const bool ipv6 = ipv6_literal(host);
    const bool unusable = host.empty() || host.find_first_of("/?#@ \t") != std::string_view::npos ||
                          (!ipv6 && host.find_first_of(":[]") != std::string_view::npos);
    if (unusable) {
        why = "--devicehost must be a host name or IP address, got " + quoted(host);
        return std::nullopt;
    }
    if (port < 1 || port > 65535) {
        why = "--deviceport must be 1..65535, got " + std::to_string(port);
        return std::nullopt;
    }
    // An IPv6 address needs its brackets in a URL.
    const bool bare = ipv6 && host.front() != '[';
    const std::string h = bare ? "[" + std::string(host) + "]" : std::string(host);
    return "https://" + h + ":" + std::to_string(port) + "/zdu-manager";
}

EditResult delete_lb(Description& d, std::string_view name) {
    auto it = std::find_if(d.load_balancers.begin(), d.load_balancers.end(),
                           [&](const LoadBalancerDef& lb) { return lb.name == name; });
    if (it == d.load_balancers.end())
        return EditResult::refused("no load-balancer named " + quoted(name));
    d.load_balancers.erase(it);
    return EditResult::made("load-balancer " + quoted(name) + " deleted");
}

EditResult create_instance(Description& d, std::string_view cluster, const Server& server,
                           bool enabled) {
    EditResult refusal;
    Cluster* c = cluster_or_refusal(d, cluster, refusal);
    if (c == nullptr) return refusal;
    if (server.name.empty()) return EditResult::refused("the instance name is empty");
    if (name_taken(d, server.name))
        return EditResult::refused("the name " + quoted(server.name) + " is already taken");
    if (server.listeners.empty())
        return EditResult::refused("instance " + quoted(server.name) + " needs --listeners");
    if (!server.version.empty() && !routing::valid_version(server.version))
        return EditResult::refused("invalid version " + quoted(server.version) +
                                   " (letters, digits, '.', '_', '-', at most 64)");
    if (server.weight < 0) return EditResult::refused("--weight must be 0 or more");
    Server added = server;
    added.application_refs.clear();  // clustered servers take the cluster's applications
    c->servers.push_back(added);
    for (LbConfig& config : d.lb_configs) {
        ClusterRef* ref = find_ref(config.cluster_refs, cluster);
        if (ref == nullptr) continue;
        server_ref_in(*ref, server.name).lb_enabled = enabled;
        order_like_cluster(*ref, *c);
    }
    return EditResult::made("instance " + quoted(server.name) + " added to cluster " +
                            quoted(cluster) + (enabled ? "" : " (lb-disabled)"));
}

EditResult delete_instance(Description& d, std::string_view cluster, std::string_view name,
                           bool force) {
    EditResult refusal;
    Cluster* c = cluster_or_refusal(d, cluster, refusal);
    if (c == nullptr) return refusal;
    if (server_in(*c, name) == nullptr)
        return EditResult::refused("cluster " + quoted(cluster) + " has no instance " +
                                   quoted(name));
    for (LbConfig& config : d.lb_configs) {
        ClusterRef* ref = find_ref(config.cluster_refs, cluster);
        if (ref == nullptr || force) continue;
        const ServerRef* sr = find_ref(ref->server_refs, name);
        if (sr == nullptr || sr->lb_enabled)
            return EditResult::refused("instance " + quoted(name) + " is still lb-enabled in " +
                                       quoted(config.name) +
                                       ": disable-http-lb-server it first (or --force)");
    }
    if (c->active_version.size() || c->canary_version.size()) {
        // Removing the last instance of the named active or canary version would leave the
        // cluster naming a version nobody serves, which the loader refuses.
        const Server* s = server_in(*c, name);
        auto others_have = [&](const std::string& v) {
            return std::any_of(c->servers.begin(), c->servers.end(),
                               [&](const Server& o) { return o.name != name && o.version == v; });
        };
        if (s->version == c->active_version && !c->active_version.empty() &&
            !others_have(c->active_version))
            return EditResult::refused(quoted(name) +
                                       " is the last instance of the active version " +
                                       quoted(c->active_version));
        if (s->version == c->canary_version && !c->canary_version.empty() &&
            !others_have(c->canary_version))
            return EditResult::refused(quoted(name) +
                                       " is the last instance of the canary version " +
                                       quoted(c->canary_version));
    }
    c->servers.erase(std::find_if(c->servers.begin(), c->servers.end(),
                                  [&](const Server& s) { return s.name == name; }));
    for (LbConfig& config : d.lb_configs) {
        ClusterRef* ref = find_ref(config.cluster_refs, cluster);
        if (ref != nullptr) erase_ref(ref->server_refs, name);
    }
    return EditResult::made("instance " + quoted(name) + " removed from cluster " +
                            quoted(cluster));
}

EditResult set_instance_version(Description& d, std::string_view cluster, std::string_view instance,
                                std::string_view version) {
    EditResult refusal;
    Cluster* c = cluster_or_refusal(d, cluster, refusal);
    if (c == nullptr) return refusal;
    Server* s = server_in(*c, instance);
    if (s == nullptr)
        return EditResult::refused("cluster " + quoted(cluster) + " has no instance " +
                                   quoted(instance));
    if (!version.empty() && !routing::valid_version(version))
        return EditResult::refused("invalid version " + quoted(version) +
                                   " (letters, digits, '.', '_', '-', at most 64)");
    s->version = std::string(version);
    return EditResult::made("instance " + quoted(instance) + " now at version " +
                            (version.empty() ? std::string("(none)") : std::string(version)));
}

EditResult set_active_version(Description& d, std::string_view cluster, std::string_view version) {
    EditResult refusal;
    Cluster* c = cluster_or_refusal(d, cluster, refusal);
    if (c == nullptr) return refusal;
    if (!version.empty() && std::none_of(c->servers.begin(), c->servers.end(),
                                         [&](const Server& s) { return s.version == version; }))
        return EditResult::refused("no instance of cluster " + quoted(cluster) + " has version " +
                                   quoted(version));
    c->active_version = std::string(version);
    return EditResult::made("active version of " + quoted(cluster) + ": " +
                            (version.empty() ? std::string("the highest") : std::string(version)));
}

EditResult set_canary(Description& d, std::string_view cluster, std::string_view version,
                      int percent) {
    EditResult refusal;
    Cluster* c = cluster_or_refusal(d, cluster, refusal);
    if (c == nullptr) return refusal;
    if (percent < 0 || percent > 100) return EditResult::refused("--percent must be 0..100");
    if (percent == 0) {
        c->canary_version.clear();
        c->canary_percent = 0;
        return EditResult::made("canary of " + quoted(cluster) + " off");
    }
    if (version.empty()) return EditResult::refused("--version is needed with --percent > 0");
    if (std::none_of(c->servers.begin(), c->servers.end(),
                     [&](const Server& s) { return s.version == version; }))
        return EditResult::refused("no instance of cluster " + quoted(cluster) + " has version " +
                                   quoted(version));
    c->canary_version = std::string(version);
    c->canary_percent = percent;
    return EditResult::made("canary of " + quoted(cluster) + ": " + std::string(version) + " " +
                            std::to_string(percent) + "%");
}

}  // namespace zdu::description
