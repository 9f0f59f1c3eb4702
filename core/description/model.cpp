#include "description/model.hpp"

#include <algorithm>

namespace zdu::description {
namespace {

std::string all_text(const std::vector<config::Diagnostic>& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics) out += (out.empty() ? "" : "\n") + d.text();
    return out;
}

template <typename T>
auto* find_named(std::vector<T>& items, std::string_view name) {
    const auto it =
        std::find_if(items.begin(), items.end(), [&](const T& item) { return item.name == name; });
    return it == items.end() ? nullptr : &*it;
}

}  // namespace

bool Application::operator==(const Application& o) const {
    return name == o.name && context_root == o.context_root && error_url == o.error_url &&
           logout_url_pattern == o.logout_url_pattern &&
           session_timeout_minutes == o.session_timeout_minutes &&
           stale_session == o.stale_session && idempotent_url_patterns == o.idempotent_url_patterns;
}

bool ApplicationRef::operator==(const ApplicationRef& o) const {
    return ref == o.ref && lb_enabled == o.lb_enabled &&
           disable_timeout_minutes == o.disable_timeout_minutes;
}

bool Server::operator==(const Server& o) const {
    return name == o.name && listeners == o.listeners && weight == o.weight &&
           version == o.version && route == o.route && domain == o.domain &&
           application_refs == o.application_refs;
}

bool Cluster::operator==(const Cluster& o) const {
    return name == o.name && session_cookie == o.session_cookie &&
           active_version == o.active_version && canary_version == o.canary_version &&
           canary_percent == o.canary_percent && servers == o.servers &&
           application_refs == o.application_refs;
}

bool ServerRef::operator==(const ServerRef& o) const {
    return ref == o.ref && lb_enabled == o.lb_enabled &&
           disable_timeout_minutes == o.disable_timeout_minutes &&
           health_checker == o.health_checker && application_refs == o.application_refs;
}

bool ClusterRef::operator==(const ClusterRef& o) const {
    return ref == o.ref && policy == o.policy && policy_module == o.policy_module &&
           health_checker == o.health_checker && server_refs == o.server_refs &&
           application_refs == o.application_refs;
}

bool LbConfig::operator==(const LbConfig& o) const {
    return name == o.name && cluster_refs == o.cluster_refs && server_refs == o.server_refs &&
           properties == o.properties;
}

bool LoadBalancerDef::operator==(const LoadBalancerDef& o) const {
    return name == o.name && lb_config_name == o.lb_config_name && secret_file == o.secret_file &&
           front_ends == o.front_ends;
}

bool Description::operator==(const Description& o) const {
    return applications == o.applications && clusters == o.clusters && servers == o.servers &&
           lb_configs == o.lb_configs && load_balancers == o.load_balancers;
}

const Application* find_application(const Description& d, std::string_view name) {
    return find_application(const_cast<Description&>(d), name);
}
Application* find_application(Description& d, std::string_view name) {
    return find_named(d.applications, name);
}
const Cluster* find_cluster(const Description& d, std::string_view name) {
    return find_cluster(const_cast<Description&>(d), name);
}
Cluster* find_cluster(Description& d, std::string_view name) {
    return find_named(d.clusters, name);
}
const Server* find_standalone_server(const Description& d, std::string_view name) {
    return find_standalone_server(const_cast<Description&>(d), name);
}
Server* find_standalone_server(Description& d, std::string_view name) {
    return find_named(d.servers, name);
}
const Server* find_clustered_server(const Description& d, std::string_view name,
                                    const Cluster** owner) {
    Cluster* found = nullptr;
    const Server* s = find_clustered_server(const_cast<Description&>(d), name, &found);
    if (owner != nullptr) *owner = found;
    return s;
}
Server* find_clustered_server(Description& d, std::string_view name, Cluster** owner) {
    for (auto& c : d.clusters) {
        if (Server* s = find_named(c.servers, name)) {
            if (owner != nullptr) *owner = &c;
            return s;
        }
    }
    if (owner != nullptr) *owner = nullptr;
    return nullptr;
}
const LbConfig* find_lb_config(const Description& d, std::string_view name) {
    return find_lb_config(const_cast<Description&>(d), name);
}
LbConfig* find_lb_config(Description& d, std::string_view name) {
    return find_named(d.lb_configs, name);
}
const LoadBalancerDef* find_load_balancer(const Description& d, std::string_view name) {
    return find_load_balancer(const_cast<Description&>(d), name);
}
LoadBalancerDef* find_load_balancer(Description& d, std::string_view name) {
    return find_named(d.load_balancers, name);
}

DescriptionError::DescriptionError(std::vector<config::Diagnostic> diagnostics)
    : std::runtime_error(all_text(diagnostics)), diagnostics_(std::move(diagnostics)) {}

GenerateError::GenerateError(std::vector<config::Diagnostic> diagnostics)
    : std::runtime_error(all_text(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace zdu::description
