#include "config/model_builder.hpp"

#include "config/attribute_reader.hpp"
#include "config/text.hpp"
#include "config/xml_node.hpp"

namespace zdu::config {
namespace {

// The attribute readers (integer, boolean, text, listeners, error) are the shared ones.
class ModelBuilder : private AttributeReader {
  public:
    ModelBuilder(const std::string& file, std::vector<Diagnostic>& diagnostics)
        : AttributeReader(file, diagnostics) {}

    LoadBalancer load_balancer(const xmlNode& root);

  private:
    Cluster cluster(const xmlNode& e);
    Instance instance(const xmlNode& e);
    WebModule web_module(const xmlNode& e);
    IdempotentUrlPattern url_pattern(const xmlNode& e, const std::string& owner);
    HealthChecker health_checker(const xmlNode& e, const std::string& owner);
    Property property(const xmlNode& e);

    Policy policy(const xmlNode& e, const std::string& owner);
    WebModule::StaleSession stale_session(const xmlNode& e, const std::string& owner);
};

LoadBalancer ModelBuilder::load_balancer(const xmlNode& root) {
    LoadBalancer lb;
    if (element_name(root) != "loadbalancer") {
        error(root, "the root element is <" + std::string(element_name(root)) +
                        ">; expected <loadbalancer>");
        return lb;
    }
    for (const xmlNode* child : child_elements(root)) {
        if (element_name(*child) == "cluster") lb.clusters.push_back(cluster(*child));
        if (element_name(*child) == "property") lb.properties.push_back(property(*child));
    }
    return lb;
}

Cluster ModelBuilder::cluster(const xmlNode& e) {
    Cluster c;
    c.name = text(e, "name");
    c.line = line_of(e);
    const std::string owner = "cluster " + quoted(c.name);
    c.policy = policy(e, owner);
    c.policy_module = text(e, "policy-module");
    c.session_cookie = text(e, "session-cookie");
    c.active_version = text(e, "active-version");
    c.canary_version = text(e, "canary-version");
    c.canary_percent = integer(e, "canary-percent", c.canary_percent, owner);
    for (const xmlNode* child : child_elements(e)) {
        const auto name = element_name(*child);
        if (name == "instance") c.instances.push_back(instance(*child));
        if (name == "web-module") c.web_modules.push_back(web_module(*child));
        if (name == "health-checker") c.health_checker = health_checker(*child, owner);
    }
    return c;
}

Instance ModelBuilder::instance(const xmlNode& e) {
    Instance i;
    i.name = text(e, "name");
    i.line = line_of(e);
    const std::string owner = "instance " + quoted(i.name);
    i.enabled = boolean(e, "enabled", i.enabled, owner);
    i.disable_timeout_minutes =
        integer(e, "disable-timeout-in-minutes", i.disable_timeout_minutes, owner);
    i.listeners = listeners(e, owner);
    i.weight = integer(e, "weight", i.weight, owner);
    i.version = text(e, "version");
    i.route = text(e, "route");
    i.domain = text(e, "domain");
    return i;
}

WebModule ModelBuilder::web_module(const xmlNode& e) {
    WebModule w;
    w.context_root = normalize_context_root(text(e, "context-root"));
    w.line = line_of(e);
    const std::string owner = "web-module " + quoted(w.context_root);
    w.enabled = boolean(e, "enabled", w.enabled, owner);
    w.disable_timeout_minutes =
        integer(e, "disable-timeout-in-minutes", w.disable_timeout_minutes, owner);
    w.error_url = text(e, "error-url");
    w.logout_url_pattern = text(e, "logout-url-pattern");
    w.session_timeout_minutes =
        integer(e, "session-timeout-in-minutes", w.session_timeout_minutes, owner);
    w.stale_session = stale_session(e, owner);
    for (const xmlNode* child : child_elements(e)) {
        if (element_name(*child) == "idempotent-url-pattern") {
            w.idempotent_url_patterns.push_back(url_pattern(*child, owner));
        }
    }
    return w;
}

IdempotentUrlPattern ModelBuilder::url_pattern(const xmlNode& e, const std::string& owner) {
    IdempotentUrlPattern p;
    p.url_pattern = text(e, "url-pattern");
    p.line = line_of(e);
    const std::string self = owner + ", idempotent-url-pattern " + quoted(p.url_pattern);
    p.no_of_retries = integer(e, "no-of-retries", p.no_of_retries, self);
    return p;
}

HealthChecker ModelBuilder::health_checker(const xmlNode& e, const std::string& owner) {
    HealthChecker h;
    h.url = text(e, "url", h.url);
    h.line = line_of(e);
    const std::string self = "health-checker of " + owner;
    h.interval_seconds = integer(e, "interval-in-seconds", h.interval_seconds, self);
    h.timeout_seconds = integer(e, "timeout-in-seconds", h.timeout_seconds, self);
    return h;
}

Property ModelBuilder::property(const xmlNode& e) {
    Property p;
    p.name = text(e, "name");
    p.value = text(e, "value");
    p.line = line_of(e);
    for (const xmlNode* child : child_elements(e)) {
        if (element_name(*child) == "description") p.description = text_content(*child);
    }
    return p;
}

Policy ModelBuilder::policy(const xmlNode& e, const std::string& owner) {
    const auto value = attribute(e, "policy");
    if (!value) return Policy::RoundRobin;
    if (const auto policy = parse_policy(trim(*value))) return *policy;
    error(e,
          owner + ": policy " + quoted(*value) +
              " is unknown (expected round-robin, weighted-round-robin, user-defined or adaptive)");
    return Policy::RoundRobin;
}

WebModule::StaleSession ModelBuilder::stale_session(const xmlNode& e, const std::string& owner) {
    const auto value = attribute(e, "stale-session");
    if (!value) return WebModule::StaleSession::Redirect;
    if (const auto action = parse_stale_session(trim(*value))) return *action;
    error(e, owner + ": stale-session " + quoted(*value) +
                 " is unknown (expected redirect, error-url or failover)");
    return WebModule::StaleSession::Redirect;
}

}  // namespace

LoadBalancer build_model(const xmlDoc& doc, const std::string& file,
                         std::vector<Diagnostic>& diagnostics) {
    const xmlNode* root = xmlDocGetRootElement(&doc);
    if (root == nullptr) {
        diagnostics.push_back({Diagnostic::Severity::Error, file, 0, "the document is empty"});
        return {};
    }
    return ModelBuilder(file, diagnostics).load_balancer(*root);
}

std::string normalize_context_root(std::string_view context_root) {
    std::string root(trim(context_root));
    if (root.empty() || root.front() != '/') root.insert(0, "/");
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    return root;
}

}  // namespace zdu::config
