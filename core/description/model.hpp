// The cluster description: the load-balancer view an administrator edits and keeps, modelled on
// GlassFish domain.xml's <applications>/<clusters>/<servers>/<lb-configs>/<load-balancers>.
// loadbalancer.xml is generated from it (generate); the admin commands edit it in place.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/model.hpp"
#include "description/comments.hpp"

namespace zdu::description {

// GlassFish's default disable-timeout-in-minutes for lb-enabled server and application refs.
inline constexpr int kDefaultDisableTimeoutMinutes = 30;

// Line numbers are where the element starts in its file (0 when built in memory); they are not
// part of equality, so a description loaded, written and loaded again compares equal.

// A deployed application: what becomes a web-module of every cluster that references it.
struct Application {
    std::string name;
    std::string context_root;
    std::string error_url;
    std::string logout_url_pattern;
    int session_timeout_minutes = 0;  // 0: the zdu-session-timeout-in-minutes property
    config::WebModule::StaleSession stale_session = config::WebModule::StaleSession::Redirect;
    std::vector<config::IdempotentUrlPattern> idempotent_url_patterns;
    int line = 0;

    bool operator==(const Application& o) const;
    bool operator!=(const Application& o) const { return !(*this == o); }
};

// <application-ref>. Under a cluster or a standalone server it says the application is deployed
// there (only `ref` matters); under an lb-config's cluster-ref or server-ref it carries the
// application's lb-enabled state and disable timeout.
struct ApplicationRef {
    std::string ref;
    bool lb_enabled = true;
    int disable_timeout_minutes = kDefaultDisableTimeoutMinutes;
    int line = 0;

    bool operator==(const ApplicationRef& o) const;
    bool operator!=(const ApplicationRef& o) const { return !(*this == o); }
};

// <server>: an instance, clustered (inside a <cluster>) or standalone (inside <servers>).
struct Server {
    std::string name;
    std::vector<config::Listener> listeners;  // the `listeners` attribute, space-separated
    int weight = 100;
    std::string version;
    std::string route;
    std::string domain;
    std::vector<ApplicationRef> application_refs;  // standalone servers only
    int line = 0;

    bool operator==(const Server& o) const;
    bool operator!=(const Server& o) const { return !(*this == o); }
};

struct Cluster {
    std::string name;
    std::string session_cookie;  // empty: JSESSIONID
    std::string active_version;
    std::string canary_version;
    int canary_percent = 0;
    std::vector<Server> servers;
    std::vector<ApplicationRef> application_refs;
    int line = 0;

    bool operator==(const Cluster& o) const;
    bool operator!=(const Cluster& o) const { return !(*this == o); }
};

// <server-ref> of an lb-config: a standalone server taken into the lb-config (a cluster of one
// named after it), or, inside a cluster-ref, one instance's lb-enabled state. health_checker and
// application_refs apply to the standalone form only.
struct ServerRef {
    std::string ref;
    bool lb_enabled = true;
    int disable_timeout_minutes = kDefaultDisableTimeoutMinutes;
    std::optional<config::HealthChecker> health_checker;
    std::vector<ApplicationRef> application_refs;
    int line = 0;

    bool operator==(const ServerRef& o) const;
    bool operator!=(const ServerRef& o) const { return !(*this == o); }
};

// <cluster-ref>: a cluster taken into an lb-config. An instance or application of the cluster
// with no ref here is lb-enabled with the default timeout.
struct ClusterRef {
    std::string ref;
    config::Policy policy = config::Policy::RoundRobin;
    std::string policy_module;
    std::optional<config::HealthChecker> health_checker;
    std::vector<ServerRef> server_refs;
    std::vector<ApplicationRef> application_refs;
    int line = 0;

    bool operator==(const ClusterRef& o) const;
    bool operator!=(const ClusterRef& o) const { return !(*this == o); }
};

struct LbConfig {
    std::string name;
    std::vector<ClusterRef> cluster_refs;
    std::vector<ServerRef> server_refs;        // standalone servers
    std::vector<config::Property> properties;  // become loadbalancer.xml properties
    int line = 0;

    bool operator==(const LbConfig& o) const;
    bool operator!=(const LbConfig& o) const { return !(*this == o); }
};

// <front-end>: one web server running mod_zdu, reached at its zdu-manager URL.
struct FrontEnd {
    std::string url;
    int line = 0;

    bool operator==(const FrontEnd& o) const { return url == o.url; }
    bool operator!=(const FrontEnd& o) const { return !(*this == o); }
};

struct LoadBalancerDef {
    std::string name;
    std::string lb_config_name;
    std::string secret_file;  // the manager secret (X-Zdu-Secret) is read from this file
    std::vector<FrontEnd> front_ends;
    int line = 0;

    bool operator==(const LoadBalancerDef& o) const;
    bool operator!=(const LoadBalancerDef& o) const { return !(*this == o); }
};

struct Description {
    std::vector<Application> applications;
    std::vector<Cluster> clusters;
    std::vector<Server> servers;  // standalone
    std::vector<LbConfig> lb_configs;
    std::vector<LoadBalancerDef> load_balancers;
    // The file it was loaded from, for the diagnostics of generate; not part of equality.
    std::string file;
    // The file's XML comments, written back where they were; not part of equality (a comment
    // changes nothing the description says).
    Comments comments;

    bool operator==(const Description& o) const;
    bool operator!=(const Description& o) const { return !(*this == o); }
};

// Lookups by name; nullptr when there is none.
const Application* find_application(const Description& d, std::string_view name);
Application* find_application(Description& d, std::string_view name);
const Cluster* find_cluster(const Description& d, std::string_view name);
Cluster* find_cluster(Description& d, std::string_view name);
const Server* find_standalone_server(const Description& d, std::string_view name);
Server* find_standalone_server(Description& d, std::string_view name);
// A clustered server; `owner` (when given) is set to its cluster.
const Server* find_clustered_server(const Description& d, std::string_view name,
                                    const Cluster** owner = nullptr);
Server* find_clustered_server(Description& d, std::string_view name, Cluster** owner = nullptr);
const LbConfig* find_lb_config(const Description& d, std::string_view name);
LbConfig* find_lb_config(Description& d, std::string_view name);
const LoadBalancerDef* find_load_balancer(const Description& d, std::string_view name);
LoadBalancerDef* find_load_balancer(Description& d, std::string_view name);

// A description that failed to load: every problem with file:line (Diagnostic::text()).
// what() is all of them, one a line.
class DescriptionError : public std::runtime_error {
  public:
    explicit DescriptionError(std::vector<config::Diagnostic> diagnostics);
    const std::vector<config::Diagnostic>& diagnostics() const { return diagnostics_; }

  private:
    std::vector<config::Diagnostic> diagnostics_;
};

// Parses with libxml2 (no network, no file but `path`, no entity), validates against the bundled
// zdu-cluster-description_1_0.dtd, then checks names and references. Throws DescriptionError.
Description load_description(const std::string& path);
// `name` stands for the file in diagnostics.
Description load_description_string(std::string_view xml, const std::string& name);

// The canonical text: DOCTYPE, fixed element order, attributes at their defaults left out, and
// d.comments before the elements (or at the end of the containers) they belong to.
// load_description_string(write_description(d)) == d.
std::string write_description(const Description& d);

// generate found the description lacking for the lb-config: what() names what is missing, or
// lists the rules of loadbalancer.xml the result breaks (diagnostics, located at the description's
// elements they come from).
class GenerateError : public std::runtime_error {
  public:
    explicit GenerateError(const std::string& message) : std::runtime_error(message) {}
    explicit GenerateError(std::vector<config::Diagnostic> diagnostics);
    const std::vector<config::Diagnostic>& diagnostics() const { return diagnostics_; }

  private:
    std::vector<config::Diagnostic> diagnostics_;
};

// The loadbalancer.xml model of one lb-config: a cluster per cluster-ref, in order, then one per
// standalone server-ref named after the server; the lb-config's properties. The model's line
// numbers are those of the description elements each part comes from. Throws GenerateError.
config::LoadBalancer generate(const Description& d, std::string_view lb_config_name);

}  // namespace zdu::description
