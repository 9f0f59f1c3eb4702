#include "config/writer.hpp"

#include <algorithm>

#include "config/xml_writer.hpp"

namespace zdu::config {
namespace {

constexpr std::string_view kGlassFishDoctype =
    "<!DOCTYPE loadbalancer PUBLIC \"-//Sun Microsystems Inc.//DTD Sun Java System Application "
    "Server 9.1//EN\" \"glassfish-loadbalancer_1_3.dtd\">";
constexpr std::string_view kZduDoctype =
    "<!DOCTYPE loadbalancer PUBLIC \"-//mod_zdu//DTD Load Balancer 1.4//EN\" "
    "\"zdu-loadbalancer_1_4.dtd\">";

std::string flag(bool value) {
    return value ? "true" : "false";
}

// GlassFish's own DTD stays on files that GlassFish can read back; only our attributes need ours.
bool uses_extensions(const LoadBalancer& lb) {
    return std::any_of(lb.clusters.begin(), lb.clusters.end(), [](const Cluster& c) {
        return !c.session_cookie.empty() || !c.active_version.empty() ||
               !c.canary_version.empty() || c.canary_percent != 0 ||
               std::any_of(c.instances.begin(), c.instances.end(),
                           [](const Instance& i) {
                               return !i.version.empty() || !i.route.empty() || !i.domain.empty();
                           }) ||
               std::any_of(c.web_modules.begin(), c.web_modules.end(), [](const WebModule& w) {
                   return !w.logout_url_pattern.empty() || w.session_timeout_minutes != 0 ||
                          w.stale_session != WebModule::StaleSession::Redirect;
               });
    });
}

std::string listeners_text(const std::vector<Listener>& listeners) {
    std::string out;
    for (const auto& l : listeners) out += (out.empty() ? "" : " ") + l.url();
    return out;
}

void add_if_set(XmlAttributes& attributes, std::string_view name, const std::string& value) {
    if (!value.empty()) attributes.emplace_back(name, value);
}

void write_instance(XmlWriter& xml, const Instance& i) {
    XmlAttributes attributes{
        {"name", i.name},
        {"enabled", flag(i.enabled)},
        {"disable-timeout-in-minutes", std::to_string(i.disable_timeout_minutes)},
        {"listeners", listeners_text(i.listeners)},
        {"weight", std::to_string(i.weight)},
    };
    add_if_set(attributes, "version", i.version);
    add_if_set(attributes, "route", i.route);
    add_if_set(attributes, "domain", i.domain);
    xml.empty("instance", attributes);
}

void write_web_module(XmlWriter& xml, const WebModule& w) {
    XmlAttributes attributes{
        {"context-root", w.context_root},
        {"enabled", flag(w.enabled)},
        {"disable-timeout-in-minutes", std::to_string(w.disable_timeout_minutes)},
    };
    add_if_set(attributes, "error-url", w.error_url);
    add_if_set(attributes, "logout-url-pattern", w.logout_url_pattern);
    if (w.session_timeout_minutes != 0) {
        attributes.emplace_back("session-timeout-in-minutes",
                                std::to_string(w.session_timeout_minutes));
    }
    if (w.stale_session != WebModule::StaleSession::Redirect) {
        attributes.emplace_back("stale-session", std::string(stale_session_name(w.stale_session)));
    }
    if (w.idempotent_url_patterns.empty()) {
        xml.empty("web-module", attributes);
        return;
    }
    xml.open("web-module", attributes);
    for (const auto& p : w.idempotent_url_patterns) {
        xml.empty("idempotent-url-pattern", {{"url-pattern", p.url_pattern},
                                             {"no-of-retries", std::to_string(p.no_of_retries)}});
    }
    xml.close("web-module");
}

void write_health_checker(XmlWriter& xml, const HealthChecker& h) {
    xml.empty("health-checker", {{"url", h.url},
                                 {"interval-in-seconds", std::to_string(h.interval_seconds)},
                                 {"timeout-in-seconds", std::to_string(h.timeout_seconds)}});
}

void write_cluster(XmlWriter& xml, const Cluster& c) {
    XmlAttributes attributes{
        {"name", c.name},
        {"policy", std::string(policy_name(c.policy))},
        {"policy-module", c.policy_module},
    };
    add_if_set(attributes, "session-cookie", c.session_cookie);
    add_if_set(attributes, "active-version", c.active_version);
    add_if_set(attributes, "canary-version", c.canary_version);
    if (c.canary_percent != 0) {
        attributes.emplace_back("canary-percent", std::to_string(c.canary_percent));
    }
    if (c.instances.empty() && c.web_modules.empty() && !c.health_checker) {
        xml.empty("cluster", attributes);
        return;
    }
    xml.open("cluster", attributes);
    for (const auto& i : c.instances) write_instance(xml, i);
    for (const auto& w : c.web_modules) write_web_module(xml, w);
    if (c.health_checker) write_health_checker(xml, *c.health_checker);
    xml.close("cluster");
}

void write_property(XmlWriter& xml, const Property& p) {
    const XmlAttributes attributes{{"name", p.name}, {"value", p.value}};
    if (p.description.empty()) {
        xml.empty("property", attributes);
        return;
    }
    xml.open("property", attributes);
    xml.text_element("description", p.description);
    xml.close("property");
}

// "--" would end the comment early.
std::string comment_safe(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '-' && !out.empty() && out.back() == '-') out += ' ';
        out += c;
    }
    return out;
}

}  // namespace

std::string write_xml(const LoadBalancer& lb, std::string_view generated_on) {
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += uses_extensions(lb) ? kZduDoctype : kGlassFishDoctype;
    out += "\n";
    XmlWriter xml(out);
    if (lb.clusters.empty() && lb.properties.empty()) {
        xml.empty("loadbalancer", {});
    } else {
        xml.open("loadbalancer", {});
        for (const auto& c : lb.clusters) write_cluster(xml, c);
        for (const auto& p : lb.properties) write_property(xml, p);
        xml.close("loadbalancer");
    }
    out += "<!--\n This file was generated on: [" + comment_safe(generated_on) + "].\n-->\n";
    return out;
}

}  // namespace zdu::config
