// The canonical text of a cluster description: fixed section and element order, every section
// present (so an operator sees where things go), attributes at their defaults left out (so a
// file edited by the admin commands stays as short as one written by hand).
#include <set>

#include "config/xml_writer.hpp"
#include "description/model.hpp"

namespace zdu::description {
namespace {

using config::XmlAttributes;

constexpr std::string_view kDoctype =
    "<!DOCTYPE cluster-description PUBLIC \"-//mod_zdu//DTD Cluster Description 1.0//EN\" "
    "\"zdu-cluster-description_1_0.dtd\">";

// An XmlWriter that knows the path of the element it writes (see comments.hpp) and writes the
// comments kept for it: those before an element, and those at the end of a container. A
// container whose only content is comments is written opened and closed so that they stay.
class CommentedXmlWriter {
  public:
    CommentedXmlWriter(std::string& out, const Comments& comments)
        : xml_(out), comments_(comments) {}

    void open(std::string_view name, const XmlAttributes& attributes) {
        path_.push_back(child_path(name, attributes));
        write_comments(path_.back());
        xml_.open(name, attributes);
    }

    void close(std::string_view name) {
        write_comments(end_key(path_.back()));
        path_.pop_back();
        xml_.close(name);
    }

    void empty(std::string_view name, const XmlAttributes& attributes) {
        const std::string path = child_path(name, attributes);
        write_comments(path);
        if (comments_.at.count(end_key(path)) == 0) {
            xml_.empty(name, attributes);
            return;
        }
        path_.push_back(path);
        xml_.open(name, attributes);
        close(name);
    }

    void epilogue() { write_comments(std::string(kEpilogueKey)); }

  private:
    std::string child_path(std::string_view name, const XmlAttributes& attributes) const {
        const std::string segment = path_segment(name, [&](const char* key) -> const std::string* {
            for (const auto& [k, v] : attributes) {
                if (k == key) return &v;
            }
            return nullptr;
        });
        return path_.empty() ? segment : path_.back() + "/" + segment;
    }

    // Each key once: two elements with the same path (duplicate properties, say) share comments.
    void write_comments(const std::string& key) {
        const auto found = comments_.at.find(key);
        if (found == comments_.at.end() || !written_.insert(key).second) return;
        for (const auto& text : found->second) xml_.comment(text);
    }

    config::XmlWriter xml_;
    const Comments& comments_;
    std::vector<std::string> path_;
    std::set<std::string> written_;
};

void add_if_set(XmlAttributes& attributes, std::string_view name, const std::string& value) {
    if (!value.empty()) attributes.emplace_back(name, value);
}

void add_if_not(XmlAttributes& attributes, std::string_view name, int value, int fallback) {
    if (value != fallback) attributes.emplace_back(name, std::to_string(value));
}

// An element with no children is written empty, one with children opened and closed.
template <typename Children>
void element(CommentedXmlWriter& xml, std::string_view name, const XmlAttributes& attributes,
             bool has_children, Children children) {
    if (!has_children) {
        xml.empty(name, attributes);
        return;
    }
    xml.open(name, attributes);
    children();
    xml.close(name);
}

std::string listeners_text(const std::vector<config::Listener>& listeners) {
    std::string out;
    for (const auto& l : listeners) out += (out.empty() ? "" : " ") + l.url();
    return out;
}

void write_application_ref(CommentedXmlWriter& xml, const ApplicationRef& r) {
    XmlAttributes attributes{{"ref", r.ref}};
    if (!r.lb_enabled) attributes.emplace_back("lb-enabled", "false");
    add_if_not(attributes, "disable-timeout-in-minutes", r.disable_timeout_minutes,
               kDefaultDisableTimeoutMinutes);
    xml.empty("application-ref", attributes);
}

void write_application_refs(CommentedXmlWriter& xml, const std::vector<ApplicationRef>& refs) {
    for (const auto& r : refs) write_application_ref(xml, r);
}

void write_health_checker(CommentedXmlWriter& xml, const config::HealthChecker& h) {
    const config::HealthChecker defaults;
    XmlAttributes attributes;
    if (h.url != defaults.url) attributes.emplace_back("url", h.url);
    add_if_not(attributes, "interval-in-seconds", h.interval_seconds, defaults.interval_seconds);
    add_if_not(attributes, "timeout-in-seconds", h.timeout_seconds, defaults.timeout_seconds);
    xml.empty("health-checker", attributes);
}

void write_application(CommentedXmlWriter& xml, const Application& a) {
    XmlAttributes attributes{{"name", a.name}, {"context-root", a.context_root}};
    add_if_set(attributes, "error-url", a.error_url);
    add_if_set(attributes, "logout-url-pattern", a.logout_url_pattern);
    add_if_not(attributes, "session-timeout-in-minutes", a.session_timeout_minutes, 0);
    if (a.stale_session != config::WebModule::StaleSession::Redirect) {
        attributes.emplace_back("stale-session",
                                std::string(config::stale_session_name(a.stale_session)));
    }
    element(xml, "application", attributes, !a.idempotent_url_patterns.empty(), [&] {
        for (const auto& p : a.idempotent_url_patterns) {
            XmlAttributes pattern{{"url-pattern", p.url_pattern}};
            add_if_not(pattern, "no-of-retries", p.no_of_retries, -1);
            xml.empty("idempotent-url-pattern", pattern);
        }
    });
}

void write_server(CommentedXmlWriter& xml, const Server& s) {
    XmlAttributes attributes{{"name", s.name}, {"listeners", listeners_text(s.listeners)}};
    add_if_not(attributes, "weight", s.weight, 100);
    add_if_set(attributes, "version", s.version);
    add_if_set(attributes, "route", s.route);
    add_if_set(attributes, "domain", s.domain);
    element(xml, "server", attributes, !s.application_refs.empty(),
            [&] { write_application_refs(xml, s.application_refs); });
}

void write_cluster(CommentedXmlWriter& xml, const Cluster& c) {
    XmlAttributes attributes{{"name", c.name}};
    add_if_set(attributes, "session-cookie", c.session_cookie);
    add_if_set(attributes, "active-version", c.active_version);
    add_if_set(attributes, "canary-version", c.canary_version);
    add_if_not(attributes, "canary-percent", c.canary_percent, 0);
    element(xml, "cluster", attributes, !c.servers.empty() || !c.application_refs.empty(), [&] {
        for (const auto& s : c.servers) write_server(xml, s);
        write_application_refs(xml, c.application_refs);
    });
}

void write_server_ref(CommentedXmlWriter& xml, const ServerRef& r) {
    XmlAttributes attributes{{"ref", r.ref}};
    if (!r.lb_enabled) attributes.emplace_back("lb-enabled", "false");
    add_if_not(attributes, "disable-timeout-in-minutes", r.disable_timeout_minutes,
               kDefaultDisableTimeoutMinutes);
    element(xml, "server-ref", attributes, r.health_checker || !r.application_refs.empty(), [&] {
        if (r.health_checker) write_health_checker(xml, *r.health_checker);
        write_application_refs(xml, r.application_refs);
    });
}

void write_cluster_ref(CommentedXmlWriter& xml, const ClusterRef& r) {
    XmlAttributes attributes{{"ref", r.ref}};
    if (r.policy != config::Policy::RoundRobin) {
        attributes.emplace_back("lb-policy", std::string(config::policy_name(r.policy)));
    }
    add_if_set(attributes, "lb-policy-module", r.policy_module);
    const bool children = r.health_checker || !r.server_refs.empty() || !r.application_refs.empty();
    element(xml, "cluster-ref", attributes, children, [&] {
        if (r.health_checker) write_health_checker(xml, *r.health_checker);
        for (const auto& s : r.server_refs) write_server_ref(xml, s);
        write_application_refs(xml, r.application_refs);
    });
}

void write_lb_config(CommentedXmlWriter& xml, const LbConfig& l) {
    const bool children =
        !l.cluster_refs.empty() || !l.server_refs.empty() || !l.properties.empty();
    element(xml, "lb-config", {{"name", l.name}}, children, [&] {
        for (const auto& r : l.cluster_refs) write_cluster_ref(xml, r);
        for (const auto& r : l.server_refs) write_server_ref(xml, r);
        for (const auto& p : l.properties) {
            XmlAttributes attributes{{"name", p.name}, {"value", p.value}};
            add_if_set(attributes, "description", p.description);
            xml.empty("property", attributes);
        }
    });
}

void write_load_balancer(CommentedXmlWriter& xml, const LoadBalancerDef& b) {
    XmlAttributes attributes{{"name", b.name}, {"lb-config-name", b.lb_config_name}};
    add_if_set(attributes, "secret-file", b.secret_file);
    element(xml, "load-balancer", attributes, !b.front_ends.empty(), [&] {
        for (const auto& f : b.front_ends) xml.empty("front-end", {{"url", f.url}});
    });
}

template <typename T, typename Write>
void section(CommentedXmlWriter& xml, std::string_view name, const std::vector<T>& items,
             Write write) {
    element(xml, name, {}, !items.empty(), [&] {
        for (const auto& item : items) write(xml, item);
    });
}

}  // namespace

std::string write_description(const Description& d) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += kDoctype;
    out += "\n";
    CommentedXmlWriter xml(out, d.comments);
    xml.open("cluster-description", {});
    section(xml, "applications", d.applications, write_application);
    section(xml, "clusters", d.clusters, write_cluster);
    section(xml, "servers", d.servers, write_server);
    section(xml, "lb-configs", d.lb_configs, write_lb_config);
    section(xml, "load-balancers", d.load_balancers, write_load_balancer);
    xml.close("cluster-description");
    xml.epilogue();
    return out;
}

}  // namespace zdu::description
