// The admin commands' edits of a cluster description, named after GlassFish's asadmin commands
// (create-http-lb-config, enable-http-lb-server, ...) plus ours for upgrades (instances,
// versions, active version, canary). Each is a pure edit: it changes the Description only when
// it succeeds and reports a refusal as a value, so lbxml-gen can print it and exit 1 without
// touching the file. Nothing here reads or writes files.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/model.hpp"
#include "description/model.hpp"

namespace zdu::description {

// ok() when the edit was made; otherwise `error` says why not, naming the offending argument.
// `done` is the one line lbxml-gen prints on success.
struct EditResult {
    std::string error;
    std::string done;

    bool ok() const { return error.empty(); }
    static EditResult refused(std::string why) { return {std::move(why), {}}; }
    static EditResult made(std::string what) { return {{}, std::move(what)}; }
};

struct LbRefOptions;

// create-http-lb-config [--target T] [--property k=v] NAME. `targets` (clusters or standalone
// servers) get a ref each, as create-http-lb-ref would with `options` (default: its defaults).
EditResult create_lb_config(Description& d, std::string_view name,
                            const std::vector<std::string>& targets,
                            const std::vector<config::Property>& properties);
EditResult create_lb_config(Description& d, std::string_view name,
                            const std::vector<std::string>& targets,
                            const std::vector<config::Property>& properties,
                            const LbRefOptions& options);
// GlassFish's name for an lb-config created without one: "<base>_LB_CONFIG".
std::string default_lb_config_name(std::string_view base);
// delete-http-lb-config NAME: refused while a load-balancer uses it.
EditResult delete_lb_config(Description& d, std::string_view name);

// create-http-lb-ref options (GlassFish's names in the comments).
struct LbRefOptions {
    std::optional<config::Policy> policy;              // --lbpolicy (clusters only)
    std::string policy_module;                         // --lbpolicymodule
    std::optional<config::HealthChecker> health;       // --healthcheckerurl/-interval/-timeout
    bool enable_all_instances = true;                  // --lbenableallinstances
    bool enable_all_applications = true;               // --lbenableallapplications
    std::vector<std::pair<std::string, int>> weights;  // --lbweight i1=100:i2=200 (cluster)
};

// The lb-config named by --config, or the one the load-balancer named by --lbname uses; exactly
// one of the two is non-empty. Refused when it does not exist.
struct ConfigSelector {
    std::string config;
    std::string lb_name;
};
// The lb-config a selector names, or why there is none.
LbConfig* select_lb_config(Description& d, const ConfigSelector& which, std::string& why);

// create-http-lb-ref: takes the cluster or standalone server `target` into the lb-config.
EditResult create_lb_ref(Description& d, const ConfigSelector& which, std::string_view target,
                         const LbRefOptions& options);
// delete-http-lb-ref: refused while the target is lb-enabled there (for a cluster: any of its
// instances), unless `force`; disable-http-lb-server first lets its sessions drain.
EditResult delete_lb_ref(Description& d, const ConfigSelector& which, std::string_view target,
                         bool force);

// create-http-health-checker / delete-http-health-checker on the target's ref in the lb-config.
EditResult create_health_checker(Description& d, const ConfigSelector& which,
                                 std::string_view target, const config::HealthChecker& checker);
EditResult delete_health_checker(Description& d, const ConfigSelector& which,
                                 std::string_view target);

// enable-http-lb-server / disable-http-lb-server [--timeout MINUTES] TARGET: a cluster (all its
// instances), a clustered instance or a standalone server, in every lb-config that references
// it. Refused when none does. `timeout_minutes` (disable only) sets the disable timeout.
EditResult set_lb_server_enabled(Description& d, std::string_view target, bool enabled,
                                 std::optional<int> timeout_minutes = std::nullopt);

// enable-http-lb-application / disable-http-lb-application [--timeout] --name APP TARGET: the
// application deployed on the cluster or standalone server TARGET, in every lb-config that
// references the target.
EditResult set_lb_application_enabled(Description& d, std::string_view target,
                                      std::string_view application, bool enabled,
                                      std::optional<int> timeout_minutes = std::nullopt);

// configure-lb-weight --cluster C i1=100:i2=400: the instances' weights (all checked first).
EditResult configure_lb_weight(Description& d, std::string_view cluster,
                               const std::vector<std::pair<std::string, int>>& weights);
// "i1=100:i2=400" into pairs; nullopt with `why` naming the bad part.
std::optional<std::vector<std::pair<std::string, int>>> parse_weights(std::string_view text,
                                                                      std::string& why);

// create-http-lb / delete-http-lb / list-http-lbs. create refuses an unknown lb-config, an
// existing name, a front-end URL that is not http(s).
EditResult create_lb(Description& d, const LoadBalancerDef& lb);

// create-http-lb without --config: like GlassFish, the load-balancer brings its own lb-config,
// named default_lb_config_name(lb.name), with these refs (--lbtargets/--target), ref options
// and properties. All or nothing: a refused ref leaves no lb-config behind.
struct NewLbConfig {
    std::vector<std::string> targets;
    std::vector<config::Property> properties;
};
EditResult create_lb_with_config(Description& d, LoadBalancerDef lb, const NewLbConfig& config,
                                 const LbRefOptions& options);

// --devicehost/--deviceport: GlassFish's device is the web server's SSL admin port it pushes
// loadbalancer.xml to; ours is the front-end's manager, so the device becomes the front-end URL
// https://HOST:PORT/zdu-manager. nullopt, with `why` naming the argument, for an unusable host or
// a port outside 1..65535.
std::optional<std::string> device_front_end_url(std::string_view host, int port, std::string& why);
EditResult delete_lb(Description& d, std::string_view name);

// Ours, for upgrades. create-http-lb-instance adds a server to a cluster (lb-enabled where the
// cluster is referenced, unless `enabled` is false: a staged version starts disabled);
// delete-http-lb-instance removes it and its refs, refused while it is lb-enabled anywhere
// unless `force`.
EditResult create_instance(Description& d, std::string_view cluster, const Server& server,
                           bool enabled = true);
EditResult delete_instance(Description& d, std::string_view cluster, std::string_view name,
                           bool force);
// set-http-lb-instance-version --cluster C --version V INSTANCE.
EditResult set_instance_version(Description& d, std::string_view cluster, std::string_view instance,
                                std::string_view version);
// set-http-lb-active-version --cluster C VERSION ("" clears: the highest version is active).
// Refused when no instance of the cluster has that version.
EditResult set_active_version(Description& d, std::string_view cluster, std::string_view version);
// set-http-lb-canary --cluster C --version V --percent P (P 0 turns it off and clears V).
EditResult set_canary(Description& d, std::string_view cluster, std::string_view version,
                      int percent);

}  // namespace zdu::description
