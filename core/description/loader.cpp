// Loads a cluster description: libxml2 through the loadbalancer.xml reader (same refusals of
// entities, network and foreign DTDs), DTD validation, then the model and its references.
#include "config/loader.hpp"

#include <algorithm>
#include <set>

#include "config/attribute_reader.hpp"
#include "config/model_builder.hpp"
#include "config/text.hpp"
#include "config/xml_node.hpp"
#include "config/xml_reader.hpp"
#include "description/model.hpp"

namespace zdu::description {
namespace {

using config::Diagnostic;
using config::quoted;

constexpr std::string_view kDtd = "zdu-cluster-description_1_0.dtd";
constexpr std::string_view kRoot = "cluster-description";

// The attribute readers (integer, boolean, text, listeners, error) are the shared ones.
class Builder : private config::AttributeReader {
  public:
    Builder(const std::string& file, std::vector<Diagnostic>& diagnostics)
        : AttributeReader(file, diagnostics) {}

    Description description(const xmlNode& root);

  private:
    Application application(const xmlNode& e);
    Cluster cluster(const xmlNode& e);
    Server server(const xmlNode& e);
    ApplicationRef application_ref(const xmlNode& e, const std::string& owner);
    LbConfig lb_config(const xmlNode& e);
    ClusterRef cluster_ref(const xmlNode& e, const std::string& owner);
    ServerRef server_ref(const xmlNode& e, const std::string& owner);
    config::HealthChecker health_checker(const xmlNode& e, const std::string& owner);
    config::IdempotentUrlPattern url_pattern(const xmlNode& e, const std::string& owner);
    config::Property property(const xmlNode& e);
    LoadBalancerDef load_balancer(const xmlNode& e);
};

Description Builder::description(const xmlNode& root) {
    Description d;
    for (const xmlNode* section : config::child_elements(root)) {
        const auto name = config::element_name(*section);
        for (const xmlNode* e : config::child_elements(*section)) {
            if (name == "applications") d.applications.push_back(application(*e));
            if (name == "clusters") d.clusters.push_back(cluster(*e));
            if (name == "servers") d.servers.push_back(server(*e));
            if (name == "lb-configs") d.lb_configs.push_back(lb_config(*e));
            if (name == "load-balancers") d.load_balancers.push_back(load_balancer(*e));
        }
    }
    return d;
}

Application Builder::application(const xmlNode& e) {
    Application a;
    a.name = text(e, "name");
    a.line = config::line_of(e);
    const std::string owner = "application " + quoted(a.name);
    a.context_root = config::normalize_context_root(text(e, "context-root"));
    a.error_url = text(e, "error-url");
    a.logout_url_pattern = text(e, "logout-url-pattern");
    a.session_timeout_minutes =
        integer(e, "session-timeout-in-minutes", a.session_timeout_minutes, owner);
    if (const auto value = config::attribute(e, "stale-session")) {
        if (const auto action = config::parse_stale_session(config::trim(*value))) {
            a.stale_session = *action;
        } else {
            error(e, owner + ": stale-session " + quoted(*value) +
                         " is unknown (expected redirect, error-url or failover)");
        }
    }
    for (const xmlNode* child : config::child_elements(e)) {
        a.idempotent_url_patterns.push_back(url_pattern(*child, owner));
    }
    return a;
}

Cluster Builder::cluster(const xmlNode& e) {
    Cluster c;
    c.name = text(e, "name");
    c.line = config::line_of(e);
    const std::string owner = "cluster " + quoted(c.name);
    c.session_cookie = text(e, "session-cookie");
    c.active_version = text(e, "active-version");
    c.canary_version = text(e, "canary-version");
    c.canary_percent = integer(e, "canary-percent", c.canary_percent, owner);
    for (const xmlNode* child : config::child_elements(e)) {
        if (config::element_name(*child) == "server") c.servers.push_back(server(*child));
        if (config::element_name(*child) == "application-ref") {
            c.application_refs.push_back(application_ref(*child, owner));
        }
    }
    return c;
}

Server Builder::server(const xmlNode& e) {
    Server s;
    s.name = text(e, "name");
    s.line = config::line_of(e);
    const std::string owner = "server " + quoted(s.name);
    s.listeners = listeners(e, owner);
    s.weight = integer(e, "weight", s.weight, owner);
    s.version = text(e, "version");
    s.route = text(e, "route");
    s.domain = text(e, "domain");
    for (const xmlNode* child : config::child_elements(e)) {
        s.application_refs.push_back(application_ref(*child, owner));
    }
    return s;
}

ApplicationRef Builder::application_ref(const xmlNode& e, const std::string& owner) {
    ApplicationRef r;
    r.ref = text(e, "ref");
    r.line = config::line_of(e);
    const std::string self = owner + ", application-ref " + quoted(r.ref);
    r.lb_enabled = boolean(e, "lb-enabled", r.lb_enabled, self);
    r.disable_timeout_minutes =
        integer(e, "disable-timeout-in-minutes", r.disable_timeout_minutes, self);
    return r;
}

LbConfig Builder::lb_config(const xmlNode& e) {
    LbConfig l;
    l.name = text(e, "name");
    l.line = config::line_of(e);
    const std::string owner = "lb-config " + quoted(l.name);
    for (const xmlNode* child : config::child_elements(e)) {
        const auto name = config::element_name(*child);
        if (name == "cluster-ref") l.cluster_refs.push_back(cluster_ref(*child, owner));
        if (name == "server-ref") l.server_refs.push_back(server_ref(*child, owner));
        if (name == "property") l.properties.push_back(property(*child));
    }
    return l;
}

ClusterRef Builder::cluster_ref(const xmlNode& e, const std::string& owner) {
    ClusterRef r;
    r.ref = text(e, "ref");
    r.line = config::line_of(e);
    const std::string self = owner + ", cluster-ref " + quoted(r.ref);
    if (const auto value = config::attribute(e, "lb-policy")) {
        if (const auto policy = config::parse_policy(config::trim(*value))) {
            r.policy = *policy;
        } else {
            error(e, self + ": lb-policy " + quoted(*value) +
                         " is unknown (expected round-robin, weighted-round-robin, user-defined "
                         "or adaptive)");
        }
    }
    r.policy_module = text(e, "lb-policy-module");
    for (const xmlNode* child : config::child_elements(e)) {
        const auto name = config::element_name(*child);
        if (name == "health-checker") r.health_checker = health_checker(*child, self);
        if (name == "server-ref") r.server_refs.push_back(server_ref(*child, self));
        if (name == "application-ref") r.application_refs.push_back(application_ref(*child, self));
    }
    return r;
}

ServerRef Builder::server_ref(const xmlNode& e, const std::string& owner) {
    ServerRef r;
    r.ref = text(e, "ref");
    r.line = config::line_of(e);
    const std::string self = owner + ", server-ref " + quoted(r.ref);
    r.lb_enabled = boolean(e, "lb-enabled", r.lb_enabled, self);
    r.disable_timeout_minutes =
        integer(e, "disable-timeout-in-minutes", r.disable_timeout_minutes, self);
    for (const xmlNode* child : config::child_elements(e)) {
        const auto name = config::element_name(*child);
        if (name == "health-checker") r.health_checker = health_checker(*child, self);
        if (name == "application-ref") r.application_refs.push_back(application_ref(*child, self));
    }
    return r;
}

config::HealthChecker Builder::health_checker(const xmlNode& e, const std::string& owner) {
    config::HealthChecker h;
    h.url = text(e, "url", h.url);
    h.line = config::line_of(e);
    const std::string self = owner + ", health-checker";
    h.interval_seconds = integer(e, "interval-in-seconds", h.interval_seconds, self);
    h.timeout_seconds = integer(e, "timeout-in-seconds", h.timeout_seconds, self);
    return h;
}

config::IdempotentUrlPattern Builder::url_pattern(const xmlNode& e, const std::string& owner) {
    config::IdempotentUrlPattern p;
    p.url_pattern = text(e, "url-pattern");
    p.line = config::line_of(e);
    const std::string self = owner + ", idempotent-url-pattern " + quoted(p.url_pattern);
    p.no_of_retries = integer(e, "no-of-retries", p.no_of_retries, self);
    return p;
}

config::Property Builder::property(const xmlNode& e) {
    config::Property p;
    p.name = text(e, "name");
    p.value = text(e, "value");
    p.description = text(e, "description");
    p.line = config::line_of(e);
    return p;
}

LoadBalancerDef Builder::load_balancer(const xmlNode& e) {
    LoadBalancerDef l;
    l.name = text(e, "name");
    l.line = config::line_of(e);
    l.lb_config_name = text(e, "lb-config-name");
    l.secret_file = text(e, "secret-file");
    for (const xmlNode* child : config::child_elements(e)) {
        l.front_ends.push_back({text(*child, "url"), config::line_of(*child)});
    }
    return l;
}

// The rules the DTD cannot express: unique names and references that resolve. A reference that
// resolves to nothing would make generate fail much later, far from the line that is wrong.
class Checker {
  public:
    Checker(const Description& d, const std::string& file, std::vector<Diagnostic>& diagnostics)
        : d_(d), file_(file), diagnostics_(diagnostics) {}

    void run();

  private:
    template <typename T>
    void unique(const std::vector<T>& items, const std::string& what);
    void deployed_refs(const std::vector<ApplicationRef>& refs, const std::string& owner);
    void lb_app_refs(const std::vector<ApplicationRef>& refs,
                     const std::vector<ApplicationRef>& deployed, const std::string& owner,
                     const std::string& where);
    void check_lb_config(const LbConfig& l);
    void error(int line, std::string message) {
        diagnostics_.push_back({Diagnostic::Severity::Error, file_, line, std::move(message)});
    }

    const Description& d_;
    const std::string& file_;
    std::vector<Diagnostic>& diagnostics_;
};

template <typename T>
void Checker::unique(const std::vector<T>& items, const std::string& what) {
    std::set<std::string> seen;
    for (const auto& item : items) {
        if (item.name.empty()) error(item.line, what + " has an empty name");
        if (!seen.insert(item.name).second) {
            error(item.line, what + " " + quoted(item.name) + " is defined twice");
        }
    }
}

void Checker::deployed_refs(const std::vector<ApplicationRef>& refs, const std::string& owner) {
    std::set<std::string> seen;
    for (const auto& r : refs) {
        if (find_application(d_, r.ref) == nullptr) {
            error(r.line, owner + ": application-ref " + quoted(r.ref) + " names no application");
        }
        if (!seen.insert(r.ref).second) {
            error(r.line, owner + ": application " + quoted(r.ref) + " is referenced twice");
        }
    }
}

void Checker::lb_app_refs(const std::vector<ApplicationRef>& refs,
                          const std::vector<ApplicationRef>& deployed, const std::string& owner,
                          const std::string& where) {
    std::set<std::string> seen;
    for (const auto& r : refs) {
        const bool is_deployed =
            std::any_of(deployed.begin(), deployed.end(),
                        [&](const ApplicationRef& a) { return a.ref == r.ref; });
        if (!is_deployed) {
            error(r.line,
                  owner + ": application " + quoted(r.ref) + " is not deployed on " + where);
        }
        if (!seen.insert(r.ref).second) {
            error(r.line, owner + ": application " + quoted(r.ref) + " is referenced twice");
        }
    }
}

void Checker::check_lb_config(const LbConfig& l) {
    const std::string owner = "lb-config " + quoted(l.name);
    // Each cluster-ref and standalone server-ref becomes a loadbalancer.xml cluster of that
    // name, so the two kinds share one name space here.
    std::set<std::string> generated;
    for (const auto& r : l.cluster_refs) {
        const std::string self = owner + ", cluster-ref " + quoted(r.ref);
        const Cluster* c = find_cluster(d_, r.ref);
        if (c == nullptr) error(r.line, self + " names no cluster");
        if (!generated.insert(r.ref).second) {
            error(r.line, owner + ": cluster " + quoted(r.ref) + " is referenced twice");
        }
        if (c == nullptr) continue;
        std::set<std::string> seen;
        for (const auto& s : r.server_refs) {
            const bool member = std::any_of(c->servers.begin(), c->servers.end(),
                                            [&](const Server& m) { return m.name == s.ref; });
            if (!member) {
                error(s.line, self + ": server " + quoted(s.ref) + " is not a member of cluster " +
                                  quoted(c->name));
            }
            if (!seen.insert(s.ref).second) {
                error(s.line, self + ": server " + quoted(s.ref) + " is referenced twice");
            }
            if (s.health_checker || !s.application_refs.empty()) {
                error(s.line, self + ": server-ref " + quoted(s.ref) +
                                  " of a cluster takes no health-checker nor application-ref "
                                  "(they belong to the cluster-ref)");
            }
        }
        lb_app_refs(r.application_refs, c->application_refs, self, "cluster " + quoted(c->name));
    }
    for (const auto& r : l.server_refs) {
        const std::string self = owner + ", server-ref " + quoted(r.ref);
        const Server* s = find_standalone_server(d_, r.ref);
        if (s == nullptr) {
            const Cluster* in = nullptr;
            if (find_clustered_server(d_, r.ref, &in) != nullptr) {
                error(r.line, self + " names a member of cluster " + quoted(in->name) +
                                  "; reference the cluster with a cluster-ref");
            } else {
                error(r.line, self + " names no standalone server");
            }
        }
        if (!generated.insert(r.ref).second) {
            error(r.line, owner + ": " + quoted(r.ref) +
                              " is referenced twice (a standalone server becomes a cluster of "
                              "its name)");
        }
        if (s != nullptr) {
            lb_app_refs(r.application_refs, s->application_refs, self, "server " + quoted(s->name));
        }
    }
}

void Checker::run() {
    unique(d_.applications, "application");
    unique(d_.clusters, "cluster");
    unique(d_.lb_configs, "lb-config");
    unique(d_.load_balancers, "load-balancer");
    // Server names are one name space: a server-ref finds its server by name alone.
    std::vector<Server> all_servers = d_.servers;
    for (const auto& c : d_.clusters) {
        all_servers.insert(all_servers.end(), c.servers.begin(), c.servers.end());
    }
    std::stable_sort(all_servers.begin(), all_servers.end(),
                     [](const Server& a, const Server& b) { return a.line < b.line; });
    unique(all_servers, "server");

    for (const auto& c : d_.clusters) {
        deployed_refs(c.application_refs, "cluster " + quoted(c.name));
        for (const auto& s : c.servers) {
            if (!s.application_refs.empty()) {
                error(s.line, "cluster " + quoted(c.name) + ", server " + quoted(s.name) +
                                  ": a clustered server takes no application-ref (deploy on "
                                  "the cluster)");
            }
        }
    }
    for (const auto& s : d_.servers) deployed_refs(s.application_refs, "server " + quoted(s.name));
    for (const auto& l : d_.lb_configs) check_lb_config(l);
    for (const auto& b : d_.load_balancers) {
        if (find_lb_config(d_, b.lb_config_name) == nullptr) {
            error(b.line, "load-balancer " + quoted(b.name) + ": lb-config-name " +
                              quoted(b.lb_config_name) + " names no lb-config");
        }
        std::set<std::string> seen;
        for (const auto& f : b.front_ends) {
            if (!seen.insert(f.url).second) {
                error(f.line, "load-balancer " + quoted(b.name) + ": front-end " + quoted(f.url) +
                                  " is listed twice");
            }
        }
    }
}

// The DOCTYPE may only name our DTD: a loadbalancer.xml handed in by mistake is told so plainly
// instead of failing on its first element.
void check_document_kind(const xmlDoc& doc, const std::string& file,
                         std::vector<Diagnostic>& diagnostics) {
    const xmlNode* root = xmlDocGetRootElement(&doc);
    if (root == nullptr) {
        diagnostics.push_back({Diagnostic::Severity::Error, file, 0, "the document is empty"});
        return;
    }
    if (config::element_name(*root) != kRoot) {
        diagnostics.push_back({Diagnostic::Severity::Error, file, config::line_of(*root),
                               "the root element is <" + std::string(config::element_name(*root)) +
                                   ">; a cluster description has <" + std::string(kRoot) + ">"});
    }
    const xmlDtd* dtd = doc.extSubset;
    if (dtd != nullptr && dtd->SystemID != nullptr) {
        const std::string system_id = reinterpret_cast<const char*>(dtd->SystemID);
        const auto slash = system_id.find_last_of('/');
        const std::string base =
            slash == std::string::npos ? system_id : system_id.substr(slash + 1);
        if (base != kDtd) {
            diagnostics.push_back({Diagnostic::Severity::Error, file, 1,
                                   "the DOCTYPE names " + quoted(system_id) +
                                       "; a cluster description names " + quoted(kDtd)});
        }
    }
}

}  // namespace

Description load_description_string(std::string_view xml, const std::string& name) {
    config::XmlReadResult read = config::read_xml(xml, name, kDtd, "a cluster description");
    std::vector<Diagnostic> diagnostics = std::move(read.diagnostics);
    if (!read.doc && !config::has_errors(diagnostics)) {
        diagnostics.push_back(
            {Diagnostic::Severity::Error, name, 0, "the document could not be parsed"});
    }
    Description d;
    if (read.doc) check_document_kind(*read.doc, name, diagnostics);
    // Only a document the DTD accepted is read: every element has the structure and required
    // attributes the DTD promises.
    if (read.doc && !config::has_errors(diagnostics)) {
        d = Builder(name, diagnostics).description(*xmlDocGetRootElement(read.doc.get()));
        Checker(d, name, diagnostics).run();
        d.comments = collect_comments(*read.doc);
    }
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
    if (config::has_errors(diagnostics)) throw DescriptionError(std::move(diagnostics));
    d.file = name;
    return d;
}

Description load_description(const std::string& path) {
    std::string text;
    std::string why;
    if (!config::read_whole_file(path, text, why)) {
        throw DescriptionError(
            {{Diagnostic::Severity::Error, path, 0, "cannot read the file: " + why}});
    }
    return load_description_string(text, path);
}

}  // namespace zdu::description
