// The loadbalancer.xml model of one lb-config. The result goes through the loader's own checks,
// located at the description's lines, so a description that generates never yields a
// loadbalancer.xml mod_zdu would refuse.
#include <algorithm>

#include "config/checks.hpp"
#include "config/text.hpp"
#include "description/model.hpp"

namespace zdu::description {
namespace {

using config::quoted;

template <typename Ref>
const Ref* find_ref(const std::vector<Ref>& refs, std::string_view name) {
    const auto it =
        std::find_if(refs.begin(), refs.end(), [&](const Ref& r) { return r.ref == name; });
    return it == refs.end() ? nullptr : &*it;
}

config::Instance instance_of(const Server& s, const ServerRef* lb_state) {
    config::Instance i;
    i.name = s.name;
    i.listeners = s.listeners;
    i.weight = s.weight;
    i.version = s.version;
    i.route = s.route;
    i.domain = s.domain;
    i.line = s.line;
    // A member the lb-config does not mention is in service, as in GlassFish.
    i.enabled = lb_state == nullptr || lb_state->lb_enabled;
    i.disable_timeout_minutes =
        lb_state != nullptr ? lb_state->disable_timeout_minutes : kDefaultDisableTimeoutMinutes;
    return i;
}

// The web-modules of what `deployed` lists, each with its lb state from `lb_states`.
std::vector<config::WebModule> web_modules_of(const Description& d,
                                              const std::vector<ApplicationRef>& deployed,
                                              const std::vector<ApplicationRef>& lb_states,
                                              const std::string& owner) {
    std::vector<config::WebModule> out;
    for (const auto& r : deployed) {
        const Application* a = find_application(d, r.ref);
        if (a == nullptr) {
            throw GenerateError(owner + " references application " + quoted(r.ref) +
                                ", which the description does not define");
        }
        config::WebModule w;
        w.context_root = a->context_root;
        w.error_url = a->error_url;
        w.idempotent_url_patterns = a->idempotent_url_patterns;
        w.logout_url_pattern = a->logout_url_pattern;
        w.session_timeout_minutes = a->session_timeout_minutes;
        w.stale_session = a->stale_session;
        w.line = a->line;
        const ApplicationRef* lb_state = find_ref(lb_states, r.ref);
        w.enabled = lb_state == nullptr || lb_state->lb_enabled;
        w.disable_timeout_minutes =
            lb_state != nullptr ? lb_state->disable_timeout_minutes : kDefaultDisableTimeoutMinutes;
        out.push_back(std::move(w));
    }
    return out;
}

config::Cluster cluster_of(const Description& d, const ClusterRef& r, const std::string& owner) {
    const Cluster* c = find_cluster(d, r.ref);
    if (c == nullptr) {
        throw GenerateError(owner + " references cluster " + quoted(r.ref) +
                            ", which the description does not define");
    }
    for (const auto& s : r.server_refs) {
        if (std::none_of(c->servers.begin(), c->servers.end(),
                         [&](const Server& m) { return m.name == s.ref; })) {
            throw GenerateError(owner + " references server " + quoted(s.ref) + " in cluster " +
                                quoted(c->name) + ", which has no such member");
        }
    }
    config::Cluster out;
    out.name = c->name;
    out.policy = r.policy;
    out.policy_module = r.policy_module;
    out.health_checker = r.health_checker;
    out.session_cookie = c->session_cookie;
    out.active_version = c->active_version;
    out.canary_version = c->canary_version;
    out.canary_percent = c->canary_percent;
    out.line = c->line;
    for (const auto& s : c->servers) {
        out.instances.push_back(instance_of(s, find_ref(r.server_refs, s.name)));
    }
    out.web_modules =
        web_modules_of(d, c->application_refs, r.application_refs, "cluster " + quoted(c->name));
    return out;
}

// A standalone server is a cluster of one, named after it.
config::Cluster standalone_cluster_of(const Description& d, const ServerRef& r,
                                      const std::string& owner) {
    const Server* s = find_standalone_server(d, r.ref);
    if (s == nullptr) {
        throw GenerateError(owner + " references standalone server " + quoted(r.ref) +
                            ", which the description does not define");
    }
    config::Cluster out;
    out.name = s->name;
    out.health_checker = r.health_checker;
    out.line = s->line;
    out.instances.push_back(instance_of(*s, &r));
    out.web_modules =
        web_modules_of(d, s->application_refs, r.application_refs, "server " + quoted(s->name));
    return out;
}

std::string lb_config_names(const Description& d) {
    std::string out;
    for (const auto& l : d.lb_configs) out += (out.empty() ? "" : ", ") + quoted(l.name);
    return out.empty() ? "none" : out;
}

}  // namespace

config::LoadBalancer generate(const Description& d, std::string_view lb_config_name) {
    const LbConfig* l = find_lb_config(d, lb_config_name);
    if (l == nullptr) {
        throw GenerateError("no lb-config " + quoted(lb_config_name) +
                            " in the description (lb-configs: " + lb_config_names(d) + ")");
    }
    const std::string owner = "lb-config " + quoted(l->name);
    config::LoadBalancer lb;
    for (const auto& r : l->cluster_refs) lb.clusters.push_back(cluster_of(d, r, owner));
    for (const auto& r : l->server_refs) lb.clusters.push_back(standalone_cluster_of(d, r, owner));
    lb.properties = l->properties;

    std::vector<config::Diagnostic> diagnostics;
    config::check_model(lb, d.file.empty() ? std::string("cluster description") : d.file,
                        diagnostics);
    if (config::has_errors(diagnostics)) {
        diagnostics.erase(std::remove_if(diagnostics.begin(), diagnostics.end(),
                                         [](const config::Diagnostic& x) {
                                             return x.severity !=
                                                    config::Diagnostic::Severity::Error;
                                         }),
                          diagnostics.end());
        std::stable_sort(diagnostics.begin(), diagnostics.end(),
                         [](const config::Diagnostic& a, const config::Diagnostic& b) {
                             return a.line < b.line;
                         });
        throw GenerateError(std::move(diagnostics));
    }
    return lb;
}

}  // namespace zdu::description
