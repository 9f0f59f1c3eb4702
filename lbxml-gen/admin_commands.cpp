#include "admin_commands.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "config/listener_parser.hpp"
#include "config/property_table.hpp"
#include "description/model.hpp"
#include "description_file.hpp"
#include "manager/json_writer.hpp"

namespace lbxml_gen {
namespace {

namespace desc = zdu::description;
using desc::EditResult;

// Editing commands all name the description the same way; the environment variable spares an
// operator who edits one file all day from repeating it.
constexpr const char* kDescriptionEnv = "ZDU_CLUSTER_DESCRIPTION";

void print_diagnostics(const desc::DescriptionError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.text() << '\n';
    if (e.diagnostics().empty()) std::cerr << e.what() << '\n';
}

void add_description_option(CLI::App* command, std::string& path) {
    command
        ->add_option(
            "--description", path,
            "The cluster description file (default: $" + std::string(kDescriptionEnv) + ")")
        ->envname(kDescriptionEnv)
        ->required();
}

// Registers `name` with its one-line help and an example shown by --help and --help-all.
CLI::App* subcommand(CLI::App& app, const std::string& name, const std::string& help,
                     const std::string& example) {
    CLI::App* command = app.add_subcommand(name, help);
    command->footer("Example:\n  " + example);
    command->group("Description commands");
    return command;
}

// The option values of one command; CLI11 fills them during the parse and the callback reads
// them afterwards, so they live in a shared_ptr the callback owns.
struct Args {
    std::string description;
    std::string name;      // the positional operand
    std::string config;    // --config
    std::string lb_name;   // --lbname
    std::string cluster;   // --cluster
    std::string app_name;  // --name
    std::string version;
    std::string text;  // a second positional (weights) or --listeners
    std::vector<std::string> list;
    std::optional<int> timeout;
    bool force = false;
    bool json = false;
};

void refuse(const std::string& command, const std::string& why) {
    std::cerr << "lbxml-gen " << command << ": " << why << '\n';
}

// The callback shared by every editing command: `make` builds the edit once the options are
// known (it may refuse the arguments themselves by returning a refused result).
void on_edit(CLI::App* command, std::shared_ptr<Args> args, int& exit_code,
             std::function<EditResult(desc::Description&, const Args&)> make) {
    const std::string name = command->get_name();
    command->callback([args, &exit_code, make, name] {
        exit_code = edit_description_file(args->description, [&](desc::Description& d) {
            EditResult r = make(d, *args);
            if (!r.ok()) r.error = name + ": " + r.error;
            return r;
        });
    });
}

void add_selector_options(CLI::App* command, Args& args) {
    auto* config = command->add_option("--config", args.config, "The lb-config");
    auto* lb = command->add_option("--lbname", args.lb_name, "The load-balancer whose lb-config");
    config->excludes(lb);
    lb->excludes(config);
}

// "k=v:k2=v2" (GlassFish's --property syntax) into properties; known names get their values
// checked here so the refusal names the argument, not a generated file.
std::optional<std::vector<zdu::config::Property>> parse_properties(
    const std::vector<std::string>& items, std::string& why) {
    std::vector<zdu::config::Property> out;
    for (const std::string& item : items) {
        std::stringstream parts(item);
        std::string part;
        while (std::getline(parts, part, ':')) {
            const auto eq = part.find('=');
            if (eq == std::string::npos || eq == 0) {
                why = "--property: expected name=value, got '" + part + "'";
                return std::nullopt;
            }
            zdu::config::Property p;
            p.name = part.substr(0, eq);
            p.value = part.substr(eq + 1);
            if (const auto* spec = zdu::config::find_property_spec(p.name)) {
                if (auto problem = zdu::config::property_value_problem(*spec, p.value)) {
                    why = "--property " + p.name + ": " + *problem;
                    return std::nullopt;
                }
            }
            out.push_back(p);
        }
    }
    return out;
}

// A command whose edit takes one operand: its Args, with --description and the operand
// registered. The create/delete and enable/disable pairs are built on it.
std::shared_ptr<Args> operand_command(CLI::App*& c, CLI::App& app, const std::string& name,
                                      const std::string& help, const std::string& example,
                                      const std::string& operand, const std::string& operand_help) {
    auto args = std::make_shared<Args>();
    c = subcommand(app, name, help, example);
    add_description_option(c, args->description);
    c->add_option(operand, args->name, operand_help)->required();
    return args;
}

// The lb-config options create-http-lb-config and create-http-lb share (GlassFish's names); each
// maps onto a loadbalancer.xml property mod_zdu knows.
struct LbConfigArgs {
    std::vector<std::string> properties;  // --property
    std::optional<int> response_timeout;  // --responsetimeout
    std::optional<int> reload_interval;   // --reloadinterval
    std::optional<bool> https_routing;    // --httpsrouting
    std::optional<bool> monitor;          // --monitor
    std::optional<bool> route_cookie;     // --routecookie
};

std::vector<CLI::Option*> add_lb_config_options(CLI::App* c, LbConfigArgs& a) {
    return {
        // One value per --property: NAME may be left out, so it must not be swallowed.
        c->add_option("--property", a.properties, "name=value[:name=value...] lb properties")
            ->allow_extra_args(false),
        c->add_option("--responsetimeout", a.response_timeout,
                      "response-timeout-in-seconds (0: none)"),
        c->add_option("--reloadinterval", a.reload_interval,
                      "reload-poll-interval-in-seconds (0: no polling)"),
        c->add_option("--httpsrouting", a.https_routing, "https-routing (true/false)"),
        c->add_option("--monitor", a.monitor,
                      "require-monitor-data (true/false): serve /lbgetmonitordata"),
        c->add_option("--routecookie", a.route_cookie,
                      "Only true: mod_zdu always keeps the route in its JROUTE cookie"),
    };
}

// The properties the options stand for, --property's first; nullopt with `why` naming the
// argument that is wrong or has no meaning for mod_zdu.
std::optional<std::vector<zdu::config::Property>> lb_config_properties(const LbConfigArgs& a,
                                                                       std::string& why) {
    if (a.route_cookie && !*a.route_cookie) {
        why =
            "--routecookie=false: mod_zdu always keeps the route in its JROUTE cookie "
            "(GlassFish 3.x ignores the option too)";
        return std::nullopt;
    }
    auto properties = parse_properties(a.properties, why);
    if (!properties) return std::nullopt;
    // Checked here, not by parse_properties, so the refusal names the option rather than the
    // property it becomes.
    auto add = [&](const char* option, const char* property, const std::string& value) {
        const auto* spec = zdu::config::find_property_spec(property);
        if (auto problem = zdu::config::property_value_problem(*spec, value)) {
            why = std::string(option) + ": " + *problem;
            return false;
        }
        zdu::config::Property p;
        p.name = property;
        p.value = value;
        properties->push_back(p);
        return true;
    };
    auto boolean = [](bool b) { return std::string(b ? "true" : "false"); };
    if (a.response_timeout && !add("--responsetimeout", "response-timeout-in-seconds",
                                   std::to_string(*a.response_timeout)))
        return std::nullopt;
    if (a.reload_interval && !add("--reloadinterval", "reload-poll-interval-in-seconds",
                                  std::to_string(*a.reload_interval)))
        return std::nullopt;
    if (a.https_routing && !add("--httpsrouting", "https-routing", boolean(*a.https_routing)))
        return std::nullopt;
    if (a.monitor && !add("--monitor", "require-monitor-data", boolean(*a.monitor)))
        return std::nullopt;
    return properties;
}

// The options of create-http-lb-ref, which create-http-lb takes too.
struct RefArgs {
    std::string policy;
    std::string module;
    std::string url;
    int interval = 30;
    int timeout = 10;
    bool all_instances = true;
    bool all_applications = true;
    std::string weights;
};

std::vector<CLI::Option*> add_ref_options(CLI::App* c, RefArgs& a) {
    return {
        c->add_option("--lbpolicy", a.policy,
                      "round-robin, weighted-round-robin, user-defined or adaptive"),
        c->add_option("--lbpolicymodule", a.module, "The user-defined policy module"),
        c->add_option("--healthcheckerurl", a.url, "Health check URL (adds a health checker)"),
        c->add_option("--healthcheckerinterval", a.interval, "Seconds between checks")
            ->capture_default_str(),
        c->add_option("--healthcheckertimeout", a.timeout, "Seconds a check may take")
            ->capture_default_str(),
        c->add_option("--lbenableallinstances", a.all_instances, "Instances lb-enabled")
            ->capture_default_str(),
        c->add_option("--lbenableallapplications", a.all_applications, "Applications lb-enabled")
            ->capture_default_str(),
        c->add_option("--lbweight", a.weights, "instance=weight[:instance=weight...]"),
    };
}

std::optional<desc::LbRefOptions> ref_options(const RefArgs& a, std::string& why) {
    desc::LbRefOptions o;
    if (!a.policy.empty()) {
        o.policy = zdu::config::parse_policy(a.policy);
        if (!o.policy) {
            why = "unknown --lbpolicy " + a.policy;
            return std::nullopt;
        }
    }
    o.policy_module = a.module;
    if (!a.url.empty()) {
        zdu::config::HealthChecker h;
        h.url = a.url;
        h.interval_seconds = a.interval;
        h.timeout_seconds = a.timeout;
        o.health = h;
    }
    o.enable_all_instances = a.all_instances;
    o.enable_all_applications = a.all_applications;
    if (!a.weights.empty()) {
        auto w = desc::parse_weights(a.weights, why);
        if (!w) {
            why = "--lbweight: " + why;
            return std::nullopt;
        }
        o.weights = *w;
    }
    return o;
}

void add_lb_config_commands(CLI::App& app, int& exit_code) {
    {
        auto args = std::make_shared<Args>();
        auto options = std::make_shared<LbConfigArgs>();
        CLI::App* c = subcommand(
            app, "create-http-lb-config", "Create an lb-config, optionally with its targets",
            "lbxml-gen create-http-lb-config --description cluster.xml --target c1 "
            "--responsetimeout 60 --httpsrouting=true --reloadinterval 30 --monitor=false "
            "--property zdu-session-timeout-in-minutes=30 lb1-config");
        add_description_option(c, args->description);
        c->add_option("--target", args->list, "A cluster or standalone server to reference")
            ->allow_extra_args(false);
        add_lb_config_options(c, *options);
        c->add_option("NAME", args->name,
                      "The lb-config's name (default with one --target T: T_LB_CONFIG)");
        on_edit(c, args, exit_code, [options](auto& d, const Args& a) {
            std::string why;
            auto properties = lb_config_properties(*options, why);
            if (!properties) return EditResult::refused(why);
            std::string name = a.name;
            if (name.empty() && a.list.size() == 1) name = desc::default_lb_config_name(a.list[0]);
            if (name.empty())
                return EditResult::refused("NAME is needed unless one --target names it");
            return desc::create_lb_config(d, name, a.list, *properties);
        });
    }
    CLI::App* c = nullptr;
    auto args = operand_command(c, app, "delete-http-lb-config",
                                "Delete an lb-config no load-balancer uses",
                                "lbxml-gen delete-http-lb-config --description cluster.xml "
                                "lb1-config",
                                "NAME", "The lb-config's name");
    on_edit(c, args, exit_code,
            [](auto& d, const Args& a) { return desc::delete_lb_config(d, a.name); });
}

void add_ref_commands(CLI::App& app, int& exit_code) {
    {
        CLI::App* c = nullptr;
        auto args = operand_command(c, app, "create-http-lb-ref",
                                    "Reference a cluster or standalone server from an lb-config",
                                    "lbxml-gen create-http-lb-ref --description cluster.xml "
                                    "--config lb1-config --lbpolicy weighted-round-robin "
                                    "--lbweight i1=100:i2=300 --healthcheckerurl /ping c1",
                                    "TARGET", "Cluster or standalone server");
        add_selector_options(c, *args);
        auto ref = std::make_shared<RefArgs>();
        add_ref_options(c, *ref);
        on_edit(c, args, exit_code, [ref](auto& d, const Args& a) {
            std::string why;
            auto o = ref_options(*ref, why);
            if (!o) return EditResult::refused(why);
            return desc::create_lb_ref(d, {a.config, a.lb_name}, a.name, *o);
        });
    }
    {
        CLI::App* c = nullptr;
        auto args = operand_command(c, app, "delete-http-lb-ref",
                                    "Remove a target from an lb-config (once it is disabled)",
                                    "lbxml-gen delete-http-lb-ref --description cluster.xml "
                                    "--config lb1-config c1",
                                    "TARGET", "Cluster or standalone server");
        add_selector_options(c, *args);
        c->add_flag("--force", args->force, "Remove it even while it is lb-enabled");
        on_edit(c, args, exit_code, [](auto& d, const Args& a) {
            return desc::delete_lb_ref(d, {a.config, a.lb_name}, a.name, a.force);
        });
    }
    for (bool create : {true, false}) {
        CLI::App* c = nullptr;
        const std::string name =
            create ? "create-http-health-checker" : "delete-http-health-checker";
        auto args = operand_command(
            c, app, name,
            create ? "Add a health checker to a target of an lb-config"
                   : "Remove the health checker of a target of an lb-config",
            "lbxml-gen " + name + " --description cluster.xml " +
                (create ? "--url /ping --interval 10 --timeout 5 " : "") + "--config lb1-config c1",
            "TARGET", "Cluster or standalone server");
        auto checker = std::make_shared<zdu::config::HealthChecker>();
        checker->url = "/";
        checker->interval_seconds = 30;
        checker->timeout_seconds = 10;
        if (create) {
            c->add_option("--url", checker->url, "The URL checked on each instance")
                ->capture_default_str();
            c->add_option("--interval", checker->interval_seconds,
                          "Seconds between checks (0: off)")
                ->capture_default_str();
            c->add_option("--timeout", checker->timeout_seconds, "Seconds a check may take")
                ->capture_default_str();
        }
        c->add_option("--config", args->config, "The lb-config")->required();
        on_edit(c, args, exit_code, [create, checker](auto& d, const Args& a) {
            if (create) return desc::create_health_checker(d, {a.config, ""}, a.name, *checker);
            return desc::delete_health_checker(d, {a.config, ""}, a.name);
        });
    }
}

// enable-X / disable-X: the disable side takes --timeout, both run `edit` with `enable`.
void add_enable_pair(CLI::App& app, int& exit_code, const std::string& what,
                     const std::string& enable_help, const std::string& disable_help,
                     const std::string& example_tail, const std::string& target_help,
                     bool with_app_name,
                     std::function<EditResult(desc::Description&, const Args&, bool)> edit) {
    for (bool enable : {true, false}) {
        CLI::App* c = nullptr;
        const std::string name = (enable ? "enable-" : "disable-") + what;
        auto args = operand_command(c, app, name, enable ? enable_help : disable_help,
                                    "lbxml-gen " + name + " --description cluster.xml " +
                                        (enable ? "" : "--timeout 30 ") + example_tail,
                                    "TARGET", target_help);
        if (!enable)
            c->add_option("--timeout", args->timeout,
                          "Minutes its sessions keep it (default: as set, 30 at first)");
        if (with_app_name) c->add_option("--name", args->app_name, "The application")->required();
        on_edit(c, args, exit_code,
                [edit, enable](auto& d, const Args& a) { return edit(d, a, enable); });
    }
}

void add_enable_commands(CLI::App& app, int& exit_code) {
    add_enable_pair(app, exit_code, "http-lb-server",
                    "Let a cluster, instance or standalone server take new sessions",
                    "Stop new sessions to a cluster, instance or standalone server; its "
                    "sessions stay until the timeout",
                    "i1", "Cluster, instance or standalone server", false,
                    [](desc::Description& d, const Args& a, bool enable) {
                        return desc::set_lb_server_enabled(d, a.name, enable, a.timeout);
                    });
    add_enable_pair(
        app, exit_code, "http-lb-application",
        "Route an application of a cluster or standalone server again",
        "Stop new sessions to an application of a cluster or standalone server", "--name shop c1",
        "Cluster or standalone server", true, [](desc::Description& d, const Args& a, bool enable) {
            return desc::set_lb_application_enabled(d, a.name, a.app_name, enable, a.timeout);
        });
    {
        auto args = std::make_shared<Args>();
        CLI::App* c =
            subcommand(app, "configure-lb-weight", "Set the weights of a cluster's instances",
                       "lbxml-gen configure-lb-weight --description cluster.xml "
                       "--cluster c1 i1=100:i2=400");
        add_description_option(c, args->description);
        c->add_option("--cluster", args->cluster, "The cluster")->required();
        c->add_option("WEIGHTS", args->text, "instance=weight[:instance=weight...]")->required();
        on_edit(c, args, exit_code, [](auto& d, const Args& a) {
            std::string why;
            auto w = desc::parse_weights(a.text, why);
            if (!w) return EditResult::refused("WEIGHTS: " + why);
            return desc::configure_lb_weight(d, a.cluster, *w);
        });
    }
}

// What create-http-lb takes beyond the load-balancer itself: GlassFish's device, its proxy,
// and the new lb-config's targets and options.
struct CreateLbArgs {
    std::string secret;
    std::vector<std::string> lbtargets;  // --lbtargets a,b
    std::vector<std::string> target;     // --target (GlassFish's single-target form)
    std::string device_host;
    std::optional<int> device_port;
    std::string proxy_host;
    std::optional<int> proxy_port;
    LbConfigArgs config;
    RefArgs ref;
};

EditResult create_lb_from(desc::Description& d, const Args& a, const CreateLbArgs& o) {
    if (!o.proxy_host.empty() || o.proxy_port)
        return EditResult::refused(
            std::string(o.proxy_host.empty() ? "--sslproxyport" : "--sslproxyhost") +
            ": lbxml-gen reaches the front-ends directly, an outbound proxy is not supported");
    desc::LoadBalancerDef lb;
    lb.name = a.name;
    lb.lb_config_name = a.config;
    lb.secret_file = o.secret;
    for (const std::string& url : a.list) lb.front_ends.push_back(desc::FrontEnd{url, 0});
    std::string why;
    if (!o.device_host.empty()) {
        auto url = desc::device_front_end_url(o.device_host, *o.device_port, why);
        if (!url) return EditResult::refused(why);
        lb.front_ends.push_back(desc::FrontEnd{*url, 0});
    }
    if (!a.config.empty()) return desc::create_lb(d, lb);
    desc::NewLbConfig config;
    config.targets = o.lbtargets;
    config.targets.insert(config.targets.end(), o.target.begin(), o.target.end());
    auto properties = lb_config_properties(o.config, why);
    if (!properties) return EditResult::refused(why);
    config.properties = *properties;
    auto ref = ref_options(o.ref, why);
    if (!ref) return EditResult::refused(why);
    return desc::create_lb_with_config(d, lb, config, *ref);
}

void add_lb_commands(CLI::App& app, int& exit_code) {
    {
        CLI::App* c = nullptr;
        auto args = operand_command(
            c, app, "create-http-lb",
            "Create a load-balancer: its lb-config (given, or a new NAME_LB_CONFIG) and the "
            "front-ends it goes to",
            "lbxml-gen create-http-lb --description cluster.xml --config lb1-config "
            "--front-end https://web1/zdu-manager --secret-file /etc/zdu/secret lb1\n"
            "  lbxml-gen create-http-lb --description cluster.xml --devicehost web1 "
            "--deviceport 443 --lbtargets c1,s1 --healthcheckerurl /ping --responsetimeout 30 "
            "--httpsrouting=true --secret-file /etc/zdu/secret lb2\n"
            "    (creates lb-config lb2_LB_CONFIG referencing c1 and s1; the device becomes "
            "the front-end https://web1:443/zdu-manager)",
            "NAME", "The load-balancer's name");
        auto o = std::make_shared<CreateLbArgs>();
        auto* config = c->add_option("--config", args->config,
                                     "The existing lb-config it serves (default: a new "
                                     "NAME_LB_CONFIG from the options below)");
        c->add_option("--front-end", args->list, "A front-end's zdu-manager URL (repeat)");
        c->add_option("--secret-file", o->secret, "File holding the manager secret");
        auto* host = c->add_option("--devicehost", o->device_host,
                                   "GlassFish's device: adds the front-end "
                                   "https://HOST:PORT/zdu-manager");
        auto* port = c->add_option("--deviceport", o->device_port,
                                   "The device's SSL port (with --devicehost)");
        host->needs(port);
        port->needs(host);
        c->add_option("--sslproxyhost", o->proxy_host, "Refused: no outbound proxy");
        c->add_option("--sslproxyport", o->proxy_port, "Refused: no outbound proxy");
        std::vector<CLI::Option*> new_config = add_lb_config_options(c, o->config);
        for (CLI::Option* opt : add_ref_options(c, o->ref)) new_config.push_back(opt);
        new_config.push_back(c->add_option("--lbtargets", o->lbtargets,
                                           "Clusters and standalone servers the new lb-config "
                                           "references, comma-separated")
                                 ->delimiter(','));
        new_config.push_back(
            c->add_option("--target", o->target, "A cluster or standalone server (repeat)"));
        // They describe the new lb-config; an existing one is used as it is.
        for (CLI::Option* opt : new_config) opt->excludes(config);
        on_edit(c, args, exit_code,
                [o](auto& d, const Args& a) { return create_lb_from(d, a, *o); });
    }
    CLI::App* c = nullptr;
    auto args = operand_command(c, app, "delete-http-lb", "Delete a load-balancer",
                                "lbxml-gen delete-http-lb --description cluster.xml lb1", "NAME",
                                "The load-balancer's name");
    on_edit(c, args, exit_code, [](auto& d, const Args& a) { return desc::delete_lb(d, a.name); });
}

// Ours: what an upgrade needs and GlassFish took from cluster membership.
void add_upgrade_commands(CLI::App& app, int& exit_code) {
    {
        auto args = std::make_shared<Args>();
        auto weight = std::make_shared<int>(100);
        auto route = std::make_shared<std::string>();
        auto domain = std::make_shared<std::string>();
        auto enabled = std::make_shared<bool>(true);
        CLI::App* c = subcommand(app, "create-http-lb-instance", "Add an instance to a cluster",
                                 "lbxml-gen create-http-lb-instance --description cluster.xml "
                                 "--cluster c1 --listeners http://10.0.0.4:8080 --version 2.0 "
                                 "--lbenabled false i4");
        add_description_option(c, args->description);
        c->add_option("--cluster", args->cluster, "The cluster")->required();
        c->add_option("--listeners", args->text, "Space-separated listener URLs")->required();
        c->add_option("--weight", *weight, "Its weight")->capture_default_str();
        c->add_option("--version", args->version, "Its application version");
        c->add_option("--route", *route, "Its route id (default: derived from the names)");
        c->add_option("--domain", *domain, "Its failover domain");
        c->add_option("--lbenabled", *enabled,
                      "Take new sessions at once (false: stage it, enable later)")
            ->capture_default_str();
        c->add_option("NAME", args->name, "The instance's name")->required();
        on_edit(c, args, exit_code, [=](auto& d, const Args& a) {
            desc::Server s;
            s.name = a.name;
            s.weight = *weight;
            s.version = a.version;
            s.route = *route;
            s.domain = *domain;
            std::stringstream words(a.text);
            std::string word;
            while (words >> word) {
                auto parsed = zdu::config::parse_listener(word);
                if (auto* why = std::get_if<std::string>(&parsed))
                    return EditResult::refused("--listeners: " + *why);
                s.listeners.push_back(std::get<zdu::config::Listener>(parsed));
            }
            return desc::create_instance(d, a.cluster, s, *enabled);
        });
    }
    {
        auto args = std::make_shared<Args>();
        CLI::App* c = subcommand(app, "delete-http-lb-instance",
                                 "Remove an instance from a cluster (once it is disabled)",
                                 "lbxml-gen delete-http-lb-instance --description cluster.xml "
                                 "--cluster c1 i1");
        add_description_option(c, args->description);
        c->add_option("--cluster", args->cluster, "The cluster")->required();
        c->add_flag("--force", args->force, "Remove it even while it is lb-enabled");
        c->add_option("NAME", args->name, "The instance's name")->required();
        on_edit(c, args, exit_code, [](auto& d, const Args& a) {
            return desc::delete_instance(d, a.cluster, a.name, a.force);
        });
    }
    {
        auto args = std::make_shared<Args>();
        CLI::App* c = subcommand(app, "set-http-lb-instance-version",
                                 "Set the application version an instance runs",
                                 "lbxml-gen set-http-lb-instance-version --description "
                                 "cluster.xml --cluster c1 --version 2.0 i1");
        add_description_option(c, args->description);
        c->add_option("--cluster", args->cluster, "The cluster")->required();
        c->add_option("--version", args->version, "The version (\"\": none)")->required();
        c->add_option("NAME", args->name, "The instance's name")->required();
        on_edit(c, args, exit_code, [](auto& d, const Args& a) {
            return desc::set_instance_version(d, a.cluster, a.name, a.version);
        });
    }
    {
        auto args = std::make_shared<Args>();
        CLI::App* c = subcommand(app, "set-http-lb-active-version",
                                 "Name the version new sessions of a cluster go to (rollback: "
                                 "name the old one)",
                                 "lbxml-gen set-http-lb-active-version --description cluster.xml "
                                 "--cluster c1 2.0");
        add_description_option(c, args->description);
        c->add_option("--cluster", args->cluster, "The cluster")->required();
        c->add_option("VERSION", args->version, "The version (\"\": the highest)")->required();
        on_edit(c, args, exit_code, [](auto& d, const Args& a) {
            return desc::set_active_version(d, a.cluster, a.version);
        });
    }
    {
        auto args = std::make_shared<Args>();
        auto percent = std::make_shared<int>(0);
        CLI::App* c = subcommand(app, "set-http-lb-canary",
                                 "Send a share of a cluster's new sessions to a canary version",
                                 "lbxml-gen set-http-lb-canary --description cluster.xml "
                                 "--cluster c1 --version 2.1 --percent 5");
        add_description_option(c, args->description);
        c->add_option("--cluster", args->cluster, "The cluster")->required();
        c->add_option("--version", args->version, "The canary version");
        c->add_option("--percent", *percent, "Share of new sessions, 0..100 (0: off)")->required();
        on_edit(c, args, exit_code, [percent](auto& d, const Args& a) {
            return desc::set_canary(d, a.cluster, a.version, *percent);
        });
    }
}

// Loads the description for a list command; nullopt (and exit code 1) when it does not load.
std::optional<desc::Description> load_for_list(const std::string& path, int& exit_code) {
    try {
        return desc::load_description(path);
    } catch (const desc::DescriptionError& e) {
        print_diagnostics(e);
        exit_code = 1;
        return std::nullopt;
    }
}

void json_string_list(std::string& out, const std::vector<std::string>& items) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        zdu::manager::append_json_string(out, items[i]);
    }
    out += ']';
}

void json_key(std::string& out, const char* key) {
    zdu::manager::append_json_string(out, key);
    out += ':';
}

void add_list_commands(CLI::App& app, int& exit_code) {
    {
        auto args = std::make_shared<Args>();
        CLI::App* c = subcommand(app, "list-http-lb-configs",
                                 "List the lb-configs (those referencing TARGET when given)",
                                 "lbxml-gen list-http-lb-configs --description cluster.xml --json");
        add_description_option(c, args->description);
        c->add_flag("--json", args->json, "One JSON document instead of one name a line");
        c->add_option("TARGET", args->name, "Only those referencing this cluster or server");
        c->callback([args, &exit_code] {
            auto d = load_for_list(args->description, exit_code);
            if (!d) return;
            std::string out = "[";
            bool first = true;
            for (const desc::LbConfig& config : d->lb_configs) {
                std::vector<std::string> clusters, servers, lbs;
                for (const auto& r : config.cluster_refs) clusters.push_back(r.ref);
                for (const auto& r : config.server_refs) servers.push_back(r.ref);
                for (const auto& lb : d->load_balancers)
                    if (lb.lb_config_name == config.name) lbs.push_back(lb.name);
                const std::string& t = args->name;
                if (!t.empty() &&
                    std::find(clusters.begin(), clusters.end(), t) == clusters.end() &&
                    std::find(servers.begin(), servers.end(), t) == servers.end())
                    continue;
                if (!args->json) {
                    std::cout << config.name << '\n';
                    continue;
                }
                if (!first) out += ',';
                first = false;
                out += '{';
                json_key(out, "name");
                zdu::manager::append_json_string(out, config.name);
                out += ',';
                json_key(out, "clusters");
                json_string_list(out, clusters);
                out += ',';
                json_key(out, "servers");
                json_string_list(out, servers);
                out += ',';
                json_key(out, "load_balancers");
                json_string_list(out, lbs);
                out += '}';
            }
            if (args->json) std::cout << out << "]\n";
            exit_code = 0;
        });
    }
    {
        auto args = std::make_shared<Args>();
        CLI::App* c = subcommand(app, "list-http-lbs", "List the load-balancers",
                                 "lbxml-gen list-http-lbs --description cluster.xml --json");
        add_description_option(c, args->description);
        c->add_flag("--json", args->json, "One JSON document instead of one name a line");
        c->add_option("NAME", args->name, "Only this load-balancer");
        c->callback([args, &exit_code] {
            auto d = load_for_list(args->description, exit_code);
            if (!d) return;
            if (!args->name.empty() && !desc::find_load_balancer(*d, args->name)) {
                refuse("list-http-lbs", "no load-balancer named '" + args->name + "'");
                exit_code = 1;
                return;
            }
            std::string out = "[";
            bool first = true;
            for (const desc::LoadBalancerDef& lb : d->load_balancers) {
                if (!args->name.empty() && lb.name != args->name) continue;
                if (!args->json) {
                    std::cout << lb.name << '\n';
                    continue;
                }
                std::vector<std::string> urls;
                for (const auto& f : lb.front_ends) urls.push_back(f.url);
                if (!first) out += ',';
                first = false;
                out += '{';
                json_key(out, "name");
                zdu::manager::append_json_string(out, lb.name);
                out += ',';
                json_key(out, "lb_config");
                zdu::manager::append_json_string(out, lb.lb_config_name);
                out += ',';
                json_key(out, "secret_file");
                zdu::manager::append_json_string(out, lb.secret_file);
                out += ',';
                json_key(out, "front_ends");
                json_string_list(out, urls);
                out += '}';
            }
            if (args->json) std::cout << out << "]\n";
            exit_code = 0;
        });
    }
}

}  // namespace

int edit_description_file(const std::string& path,
                          const std::function<EditResult(desc::Description&)>& edit) {
    // Held from the read to the rename, so a concurrent edit starts from this one's result.
    EditLock lock(path);
    if (!lock.error().empty()) {
        std::cerr << "lbxml-gen: " << lock.error() << '\n';
        return 1;
    }
    desc::Description d;
    try {
        d = desc::load_description(path);
    } catch (const desc::DescriptionError& e) {
        print_diagnostics(e);
        return 1;
    }
    // The edit writes the file back canonically: refused rather than drop what it cannot keep.
    if (!d.comments.unkept.empty()) {
        std::cerr << "lbxml-gen: " << path << ": an edit would lose what the file holds besides "
                  << "elements and comments, nothing written:\n";
        for (const auto& what : d.comments.unkept) std::cerr << "  " << what << '\n';
        std::cerr << "  remove it (or make it a comment), then run the command again\n";
        return 1;
    }
    // The lb-configs that generate a valid loadbalancer.xml now; an edit must not break one of
    // them (e.g. a canary version not above the active one passes the description's checks but
    // not loadbalancer.xml's), or the next export or apply would fail far from its cause.
    std::vector<std::string> exportable;
    for (const desc::LbConfig& config : d.lb_configs) {
        try {
            desc::generate(d, config.name);
            exportable.push_back(config.name);
        } catch (const desc::GenerateError&) {
        }
    }
    const EditResult result = edit(d);
    if (!result.ok()) {
        std::cerr << "lbxml-gen " << result.error << '\n';
        return 1;
    }
    const std::string text = desc::write_description(d);
    // The edits check what they touch; the loader checks everything (e.g. a canary version not
    // above the active one). A result the next command could not load is never written.
    try {
        desc::load_description_string(text, path);
    } catch (const desc::DescriptionError& e) {
        std::cerr << "lbxml-gen: the edit would leave " << path << " invalid, nothing written:\n";
        for (const auto& diag : e.diagnostics()) std::cerr << "  " << diag.message << '\n';
        return 1;
    }
    for (const std::string& name : exportable) {
        if (!desc::find_lb_config(d, name)) continue;  // deleted by the edit
        try {
            desc::generate(d, name);
        } catch (const desc::GenerateError& e) {
            std::cerr << "lbxml-gen: the edit would leave lb-config '" << name
                      << "' unexportable, nothing written:\n";
            if (e.diagnostics().empty()) std::cerr << "  " << e.what() << '\n';
            for (const auto& diag : e.diagnostics()) std::cerr << "  " << diag.message << '\n';
            return 1;
        }
    }
    const std::string why = write_file_atomically(path, text);
    if (!why.empty()) {
        std::cerr << "lbxml-gen: " << why << '\n';
        return 1;
    }
    std::cout << result.done << '\n';
    return 0;
}

void add_admin_commands(CLI::App& app, int& exit_code) {
    add_lb_config_commands(app, exit_code);
    add_ref_commands(app, exit_code);
    add_enable_commands(app, exit_code);
    add_lb_commands(app, exit_code);
    add_upgrade_commands(app, exit_code);
    add_list_commands(app, exit_code);
}

}  // namespace lbxml_gen
