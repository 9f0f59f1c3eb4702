#include "config/checks.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>
#include <utility>

#include "config/property_table.hpp"
#include "config/text.hpp"
#include "routing/route_id.hpp"
#include "routing/version.hpp"

namespace zdu::config {
namespace {

// A cookie name is an RFC 6265 token.
bool is_cookie_name(std::string_view text) {
    constexpr std::string_view kSeparators = "()<>@,;:\\\"/[]?={} \t";
    return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 32 && u < 127 && kSeparators.find(c) == std::string_view::npos;
    });
}

class Checker {
  public:
    Checker(const std::string& file, std::vector<Diagnostic>& diagnostics)
        : file_(file), diagnostics_(diagnostics) {}

    void check(const LoadBalancer& lb);

  private:
    void check_cluster(const Cluster& c);
    void check_instances(const Cluster& c);
    void check_versions(const Cluster& c);
    void check_named_version(const Cluster& c, std::string_view what, const std::string& version);
    void check_instance(const Instance& i);
    void check_web_module(const Cluster& c, const WebModule& w);
    void check_health_checker(const Cluster& c, const HealthChecker& h);
    void check_property(const Property& p);
    void at_least(int line, const std::string& owner, std::string_view what, int value, int min);
    void error(int line, std::string message);
    void warning(int line, std::string message);

    const std::string& file_;
    std::vector<Diagnostic>& diagnostics_;
    std::map<std::string, const Cluster*> clusters_;
    std::map<std::string, std::pair<const Cluster*, const WebModule*>> context_roots_;
    std::map<std::string, const Property*> properties_;
};

void Checker::check(const LoadBalancer& lb) {
    for (const auto& c : lb.clusters) check_cluster(c);
    for (const auto& p : lb.properties) check_property(p);
}

void Checker::check_cluster(const Cluster& c) {
    const std::string owner = "cluster " + quoted(c.name);
    if (const auto [it, fresh] = clusters_.emplace(c.name, &c); !fresh) {
        error(c.line,
              owner + " is defined twice (first at line " + std::to_string(it->second->line) + ")");
    }
    if (c.policy == Policy::UserDefined && c.policy_module.empty()) {
        error(c.line, owner + ": policy 'user-defined' needs a policy-module");
    }
    if (!c.session_cookie.empty() && !is_cookie_name(c.session_cookie)) {
        error(c.line, owner + ": session-cookie " + quoted(c.session_cookie) +
                          " is not a valid cookie name");
    }
    check_instances(c);
    check_versions(c);
    for (const auto& w : c.web_modules) check_web_module(c, w);
    if (c.health_checker) check_health_checker(c, *c.health_checker);
}

void Checker::check_instances(const Cluster& c) {
    std::map<std::string, const Instance*> names;
    std::map<std::string, const Instance*> routes;
    for (const auto& i : c.instances) {
        check_instance(i);
        if (const auto [it, fresh] = names.emplace(i.name, &i); !fresh) {
            error(i.line, "instance " + quoted(i.name) + " appears twice in cluster " +
                              quoted(c.name) + " (first at line " +
                              std::to_string(it->second->line) + ")");
        }
        if (i.route.empty()) continue;
        if (const auto [it, fresh] = routes.emplace(i.route, &i); !fresh) {
            error(i.line, "instance " + quoted(i.name) + ": route " + quoted(i.route) +
                              " is already used by instance " + quoted(it->second->name) +
                              " of cluster " + quoted(c.name) + " (line " +
                              std::to_string(it->second->line) + ")");
        }
    }
}

void Checker::check_versions(const Cluster& c) {
    const std::string owner = "cluster " + quoted(c.name);
    check_named_version(c, "active-version", c.active_version);
    check_named_version(c, "canary-version", c.canary_version);
    if (c.canary_percent < 0 || c.canary_percent > 100) {
        error(c.line, owner + ": canary-percent " + std::to_string(c.canary_percent) +
                          " is out of range (must be 0..100)");
    }
    if (c.canary_percent > 0 && c.canary_version.empty()) {
        error(c.line, owner + ": canary-percent " + std::to_string(c.canary_percent) +
                          " needs a canary-version");
    }
    if (c.canary_version.empty()) return;
    // A canary is a newer version trying its luck; one not above the active version would be
    // an old version taking a share back, which a rollback (active-version) says plainly.
    std::string_view active = c.active_version;
    bool named = !active.empty();
    if (!named) {
        for (const auto& i : c.instances) {
            if (i.version != c.canary_version &&
                (!named || routing::compare_versions(i.version, active) > 0)) {
                active = i.version;
                named = true;
            }
        }
    }
    if (named && routing::compare_versions(c.canary_version, active) <= 0) {
        error(c.line, owner + ": canary-version " + quoted(c.canary_version) +
                          " is not higher than the active version " + quoted(active));
    }
}

void Checker::check_named_version(const Cluster& c, std::string_view what,
                                  const std::string& version) {
    if (version.empty()) return;
    const std::string owner = "cluster " + quoted(c.name);
    if (!routing::valid_version(version)) {
        error(c.line, owner + ": " + std::string(what) + " " + quoted(version) +
                          " is not a valid version (up to 64 letters, digits, '.', '_' and '-')");
        return;
    }
    const bool known = std::any_of(c.instances.begin(), c.instances.end(),
                                   [&](const Instance& i) { return i.version == version; });
    if (!known) {
        error(c.line, owner + ": " + std::string(what) + " " + quoted(version) +
                          " is the version of none of its instances");
    }
}

void Checker::check_instance(const Instance& i) {
    const std::string owner = "instance " + quoted(i.name);
    at_least(i.line, owner, "weight", i.weight, 0);
    at_least(i.line, owner, "disable-timeout-in-minutes", i.disable_timeout_minutes, 0);
    if (!i.route.empty() && !routing::is_valid_route_id(i.route)) {
        error(i.line, owner + ": route " + quoted(i.route) +
                          " may only hold up to 63 letters, digits, _ and - (. and : separate "
                          "routes in session ids)");
    }
    if (!i.version.empty() && !routing::valid_version(i.version)) {
        error(i.line, owner + ": version " + quoted(i.version) +
                          " is not a valid version (up to 64 letters, digits, '.', '_' and '-')");
    }
}

void Checker::check_web_module(const Cluster& c, const WebModule& w) {
    const std::string owner = "web-module " + quoted(w.context_root);
    at_least(w.line, owner, "disable-timeout-in-minutes", w.disable_timeout_minutes, 0);
    at_least(w.line, owner, "session-timeout-in-minutes", w.session_timeout_minutes, 0);
    for (const auto& pattern : split_words(w.logout_url_pattern)) {
        if (pattern.substr(0, 1) == "/" || pattern.substr(0, 2) == "*.") continue;
        error(w.line, owner + ": logout-url-pattern " + quoted(std::string(pattern)) +
                          " is not a url-pattern (starts with '/' or '*.')");
    }
    if (w.stale_session == WebModule::StaleSession::ErrorUrl && w.error_url.empty()) {
        error(w.line, owner + ": stale-session 'error-url' needs an error-url");
    }
    for (const auto& p : w.idempotent_url_patterns) {
        at_least(p.line, owner + ", idempotent-url-pattern " + quoted(p.url_pattern),
                 "no-of-retries", p.no_of_retries, -1);
    }
    const auto [it, fresh] = context_roots_.emplace(w.context_root, std::make_pair(&c, &w));
    if (fresh) return;
    const auto& [first_cluster, first_module] = it->second;
    error(w.line, "context-root " + quoted(w.context_root) + " of cluster " + quoted(c.name) +
                      " is already mapped to cluster " + quoted(first_cluster->name) + " at line " +
                      std::to_string(first_module->line) +
                      "; a context root must map to one cluster");
}

void Checker::check_health_checker(const Cluster& c, const HealthChecker& h) {
    const std::string owner = "health-checker of cluster " + quoted(c.name);
    at_least(h.line, owner, "interval-in-seconds", h.interval_seconds, 0);
    at_least(h.line, owner, "timeout-in-seconds", h.timeout_seconds, 1);
}

void Checker::check_property(const Property& p) {
    const std::string owner = "property " + quoted(p.name);
    if (const auto [it, fresh] = properties_.emplace(p.name, &p); !fresh) {
        error(p.line,
              owner + " is set twice (first at line " + std::to_string(it->second->line) + ")");
    }
    const PropertySpec* spec = find_property_spec(p.name);
    if (spec == nullptr) {
        warning(p.line, owner + " is unknown and ignored");
        return;
    }
    if (const auto problem = property_value_problem(*spec, p.value)) {
        error(p.line, owner + ": value " + *problem);
    }
}

void Checker::at_least(int line, const std::string& owner, std::string_view what, int value,
                       int min) {
    if (value >= min) return;
    error(line, owner + ": " + std::string(what) + " " + std::to_string(value) +
                    " is out of range (must be >= " + std::to_string(min) + ")");
}

void Checker::error(int line, std::string message) {
    diagnostics_.push_back({Diagnostic::Severity::Error, file_, line, std::move(message)});
}

void Checker::warning(int line, std::string message) {
    diagnostics_.push_back({Diagnostic::Severity::Warning, file_, line, std::move(message)});
}

}  // namespace

void check_model(const LoadBalancer& lb, const std::string& file,
                 std::vector<Diagnostic>& diagnostics) {
    Checker(file, diagnostics).check(lb);
}

}  // namespace zdu::config
