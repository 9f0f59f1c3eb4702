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

void add_lb_config_commands(CLI::App& app, int& exit_code) {
    {
        auto args = std::make_shared<Args>();
        auto timeout = std::make_shared<std::optional<int>>();
        auto reload = std::make_shared<std::optional<int>>();
        auto https = std::make_shared<std::optional<bool>>();
        CLI::App* c = subcommand(
            app, "create-http-lb-config", "Create an lb-config, optionally with its targets",
            "lbxml-gen create-http-lb-config --description cluster.xml --target c1 "
            "--responsetimeout 60 --property zdu-session-timeout-in-minutes=30 lb1-config");
        add_description_option(c, args->description);
        c->add_option("--target", args->list, "A cluster or standalone server to reference");
        auto props = std::make_shared<std::vector<std::string>>();
        c->add_option("--property", *props, "name=value[:name=value...] lb properties");
        c->add_option("--responsetimeout", *timeout, "response-timeout-in-seconds");
        c->add_option("--reloadinterval", *reload, "reload-poll-interval-in-seconds");
        c->add_option("--httpsrouting", *https, "https-routing (true/false)");
        c->add_option("NAME", args->name, "The lb-config's name")->required();
        on_edit(c, args, exit_code, [props, timeout, reload, https](auto& d, const Args& a) {
            std::vector<std::string> items = *props;
            if (*timeout)
                items.push_back("response-timeout-in-seconds=" + std::to_string(**timeout));
            if (*reload)
                items.push_back("reload-poll-interval-in-seconds=" + std::to_string(**reload));
            if (*https)
                items.push_back(std::string("https-routing=") + (**https ? "true" : "false"));
            std::string why;
            auto properties = parse_properties(items, why);
            if (!properties) return EditResult::refused(why);
            return desc::create_lb_config(d, a.name, a.list, *properties);
        });
    }
    {
        auto args = std::make_shared<Args>();
        CLI::App* c =
            subcommand(app, "delete-http-lb-config", "Delete an lb-config no load-balancer uses",
                       "lbxml-gen delete-http-lb-config --description cluster.xml "
                       "lb1-config");
        add_description_option(c, args->description);
        c->add_option("NAME", args->name, "The lb-config's name")->required();
        on_edit(c, args, exit_code,
                [](auto& d, const Args& a) { return desc::delete_lb_config(d, a.name); });
    }
}

void add_ref_commands(CLI::App& app, int& exit_code) {
    {
        auto args = std::make_shared<Args>();
        auto policy = std::make_shared<std::string>();
        auto module = std::make_shared<std::string>();
        auto url = std::make_shared<std::string>();
        auto interval = std::make_shared<int>(30);
        auto hc_timeout = std::make_shared<int>(10);
        auto all_instances = std::make_shared<bool>(true);
        auto all_apps = std::make_shared<bool>(true);
        auto weights = std::make_shared<std::string>();
        CLI::App* c = subcommand(app, "create-http-lb-ref",
                                 "Reference a cluster or standalone server from an lb-config",
                                 "lbxml-gen create-http-lb-ref --description cluster.xml --config "
                                 "lb1-config --lbpolicy weighted-round-robin --lbweight "
                                 "i1=100:i2=300 --healthcheckerurl /ping c1");
        add_description_option(c, args->description);
        add_selector_options(c, *args);
        c->add_option("--lbpolicy", *policy,
                      "round-robin, weighted-round-robin, user-defined or adaptive");
        c->add_option("--lbpolicymodule", *module, "The user-defined policy module");
        c->add_option("--healthcheckerurl", *url, "Health check URL (adds a health checker)");
        c->add_option("--healthcheckerinterval", *interval, "Seconds between checks")
            ->capture_default_str();
        c->add_option("--healthcheckertimeout", *hc_timeout, "Seconds a check may take")
            ->capture_default_str();
        c->add_option("--lbenableallinstances", *all_instances, "Instances lb-enabled")
            ->capture_default_str();
        c->add_option("--lbenableallapplications", *all_apps, "Applications lb-enabled")
            ->capture_default_str();
        c->add_option("--lbweight", *weights, "instance=weight[:instance=weight...]");
        c->add_option("TARGET", args->name, "Cluster or standalone server")->required();
        on_edit(c, args, exit_code, [=](auto& d, const Args& a) {
            desc::LbRefOptions o;
            if (!policy->empty()) {
                o.policy = zdu::config::parse_policy(*policy);
                if (!o.policy) return EditResult::refused("unknown --lbpolicy " + *policy);
            }
            o.policy_module = *module;
            if (!url->empty()) {
                zdu::config::HealthChecker h;
                h.url = *url;
                h.interval_seconds = *interval;
                h.timeout_seconds = *hc_timeout;
                o.health = h;
            }
            o.enable_all_instances = *all_instances;
            o.enable_all_applications = *all_apps;
            if (!weights->empty()) {
                std::string why;
                auto w = desc::parse_weights(*weights, why);
                if (!w) return EditResult::refused("--lbweight: " + why);
                o.weights = *w;
            }
            return desc::create_lb_ref(d, {a.config, a.lb_name}, a.name, o);
        });
    }
    {
        auto args = std::make_shared<Args>();
        CLI::App* c = subcommand(app, "delete-http-lb-ref",
                                 "Remove a target from an lb-config (once it is disabled)",
                                 "lbxml-gen delete-http-lb-ref --description cluster.xml --config "
                                 "lb1-config c1");
        add_description_option(c, args->description);
        add_selector_options(c, *args);
        c->add_flag("--force", args->force, "Remove it even while it is lb-enabled");
        c->add_option("TARGET", args->name, "Cluster or standalone server")->required();
        on_edit(c, args, exit_code, [](auto& d, const Args& a) {
            return desc::delete_lb_ref(d, {a.config, a.lb_name}, a.name, a.force);
        });
    }
    {
        auto args = std::make_shared<Args>();
        auto url = std::make_shared<std::string>("/");
        auto interval = std::make_shared<int>(30);
        auto hc_timeout = std::make_shared<int>(10);
        CLI::App* c = subcommand(app, "create-http-health-checker",
                                 "Add a health checker to a target of an lb-config",
                                 "lbxml-gen create-http-health-checker --description cluster.xml "
                                 "--url /ping --interval 10 --timeout 5 --config lb1-config c1");
        add_description_option(c, args->description);
        c->add_option("--url", *url, "The URL checked on each instance")->capture_default_str();
        c->add_option("--interval", *interval, "Seconds between checks (0: off)")
            ->capture_default_str();
        c->add_option("--timeout", *hc_timeout, "Seconds a check may take")->capture_default_str();
        c->add_option("--config", args->config, "The lb-config")->required();
        c->add_option("TARGET", args->name, "Cluster or standalone server")->required();
        on_edit(c, args, exit_code, [=](auto& d, const Args& a) {
            zdu::config::HealthChecker h;
            h.url = *url;
            h.interval_seconds = *interval;
            h.timeout_seconds = *hc_timeout;
            return desc::create_health_checker(d, {a.config, ""}, a.name, h);
        });
    }
    {
        auto args = std::make_shared<Args>();
        CLI::App* c = subcommand(app, "delete-http-health-checker",
                                 "Remove the health checker of a target of an lb-config",
                                 "lbxml-gen delete-http-health-checker --description cluster.xml "
                                 "--config lb1-config c1");
        add_description_option(c, args->description);
        c->add_option("--config", args->config, "The lb-config")->required();
        c->add_option("TARGET", args->name, "Cluster or standalone server")->required();
        on_edit(c, args, exit_code, [](auto& d, const Args& a) {
            return desc::delete_health_checker(d, {a.config, ""}, a.name);
        });
    }
}

void add_enable_commands(CLI::App& app, int& exit_code) {
    for (bool enable : {true, false}) {
        auto args = std::make_shared<Args>();
        const std::string name = enable ? "enable-http-lb-server" : "disable-http-lb-server";
        CLI::App* c = subcommand(
            app, name,
            enable ? "Let a cluster, instance or standalone server take new sessions"
                   : "Stop new sessions to a cluster, instance or standalone server; its "
                     "sessions stay until the timeout",
            "lbxml-gen " + name + " --description cluster.xml " +
                (enable ? "i1" : "--timeout 30 i1"));
        add_description_option(c, args->description);
        if (!enable)
            c->add_option("--timeout", args->timeout,
                          "Minutes its sessions keep it (default: as set, 30 at first)");
        c->add_option("TARGET", args->name, "Cluster, instance or standalone server")->required();
        on_edit(c, args, exit_code, [enable](auto& d, const Args& a) {
            return desc::set_lb_server_enabled(d, a.name, enable, a.timeout);
        });
    }
    for (bool enable : {true, false}) {
        auto args = std::make_shared<Args>();
        const std::string name =
            enable ? "enable-http-lb-application" : "disable-http-lb-application";
        CLI::App* c = subcommand(
            app, name,
            enable ? "Route an application of a cluster or standalone server again"
                   : "Stop new sessions to an application of a cluster or standalone server",
            "lbxml-gen " + name + " --description cluster.xml " +
                (enable ? "--name shop c1" : "--timeout 30 --name shop c1"));
        add_description_option(c, args->description);
        if (!enable)
            c->add_option("--timeout", args->timeout,
                          "Minutes its sessions keep it (default: as set, 30 at first)");
        c->add_option("--name", args->app_name, "The application")->required();
        c->add_option("TARGET", args->name, "Cluster or standalone server")->required();
        on_edit(c, args, exit_code, [enable](auto& d, const Args& a) {
            return desc::set_lb_application_enabled(d, a.name, a.app_name, enable, a.timeout);
        });
    }
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

void add_lb_commands(CLI::App& app, int& exit_code) {
    {
        auto args = std::make_shared<Args>();
        auto secret = std::make_shared<std::string>();
        CLI::App* c =
            subcommand(app, "create-http-lb",
                       "Create a load-balancer: an lb-config and the front-ends it goes to",
                       "lbxml-gen create-http-lb --description cluster.xml --config "
                       "lb1-config --front-end https://web1/zdu-manager --front-end "
                       "https://web2/zdu-manager --secret-file /etc/zdu/secret lb1");
        add_description_option(c, args->description);
        c->add_option("--config", args->config, "The lb-config it serves")->required();
        c->add_option("--front-end", args->list, "A front-end's zdu-manager URL (repeat)");
        c->add_option("--secret-file", *secret, "File holding the manager secret");
        c->add_option("NAME", args->name, "The load-balancer's name")->required();
        on_edit(c, args, exit_code, [secret](auto& d, const Args& a) {
            desc::LoadBalancerDef lb;
            lb.name = a.name;
            lb.lb_config_name = a.config;
            lb.secret_file = *secret;
            for (const std::string& url : a.list) lb.front_ends.push_back(desc::FrontEnd{url, 0});
            return desc::create_lb(d, lb);
        });
    }
    {
        auto args = std::make_shared<Args>();
        CLI::App* c = subcommand(app, "delete-http-lb", "Delete a load-balancer",
                                 "lbxml-gen delete-http-lb --description cluster.xml lb1");
        add_description_option(c, args->description);
        c->add_option("NAME", args->name, "The load-balancer's name")->required();
        on_edit(c, args, exit_code,
                [](auto& d, const Args& a) { return desc::delete_lb(d, a.name); });
    }
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
