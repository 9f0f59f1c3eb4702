#include "generate_command.hpp"

#include <iostream>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "config/content_hash.hpp"
#include "config/listener_parser.hpp"
#include "config/loader.hpp"
#include "config/text.hpp"
#include "config/writer.hpp"
#include "description/model.hpp"
#include "description_file.hpp"
#include "export_command.hpp"

namespace lbxml_gen {
namespace {

namespace config = zdu::config;
namespace description = zdu::description;

constexpr int kInvalid = 1;
constexpr int kUsage = 2;

struct Options {
    std::string description_file;
    std::string lb_config;
    std::string cluster;
    std::vector<std::string> instances;
    std::vector<std::string> web_modules;
    std::string health_checker;
    std::vector<std::string> weights;
    std::vector<std::string> versions;
    std::vector<std::string> properties;
    std::string policy;
    std::string output;
};

// An argument that cannot be used: the message names it as typed.
struct ArgumentError {
    int exit_code;
    std::string message;
};

std::pair<std::string, std::string> split_pair(const std::string& option, const std::string& arg,
                                               char separator) {
    const auto at = arg.find(separator);
    if (at == std::string::npos || at == 0) {
        throw ArgumentError{kUsage, option + " " + config::quoted(arg) + ": expected NAME" +
                                        std::string(1, separator) + "VALUE"};
    }
    return {arg.substr(0, at), arg.substr(at + 1)};
}

int number(const std::string& option, const std::string& arg, const std::string& text) {
    if (const auto n = config::parse_int(text)) return *n;
    throw ArgumentError{kInvalid, option + " " + config::quoted(arg) + ": " + config::quoted(text) +
                                      " is not an integer"};
}

description::Server& instance_named(description::Cluster& c, const std::string& option,
                                    const std::string& arg, const std::string& name) {
    for (auto& s : c.servers) {
        if (s.name == name) return s;
    }
    throw ArgumentError{
        kInvalid, option + " " + config::quoted(arg) + ": no --instance " + config::quoted(name)};
}

// "NAME=URL[,URL...]": listeners may also be separated by blanks, as in the xml attribute.
description::Server parse_instance(const std::string& arg) {
    auto [name, urls] = split_pair("--instance", arg, '=');
    for (auto& ch : urls) {
        if (ch == ',') ch = ' ';
    }
    description::Server s;
    s.name = name;
    const auto words = config::split_words(urls);
    if (words.empty()) {
        throw ArgumentError{kUsage, "--instance " + config::quoted(arg) + ": names no listener"};
    }
    for (const auto word : words) {
        auto parsed = config::parse_listener(word);
        if (auto* listener = std::get_if<config::Listener>(&parsed)) {
            s.listeners.push_back(*listener);
        } else {
            throw ArgumentError{kInvalid, "--instance " + config::quoted(arg) + ": " +
                                              std::get<std::string>(parsed)};
        }
    }
    return s;
}

// "URL[,INTERVAL[,TIMEOUT]]"
config::HealthChecker parse_health_checker(const std::string& arg) {
    config::HealthChecker h;
    std::vector<std::string> parts{""};
    for (const char ch : arg) {
        if (ch == ',') {
            parts.emplace_back();
        } else {
            parts.back() += ch;
        }
    }
    if (parts.size() > 3 || parts[0].empty()) {
        throw ArgumentError{kUsage, "--health-checker " + config::quoted(arg) +
                                        ": expected URL[,INTERVAL[,TIMEOUT]]"};
    }
    h.url = parts[0];
    if (parts.size() > 1) h.interval_seconds = number("--health-checker", arg, parts[1]);
    if (parts.size() > 2) h.timeout_seconds = number("--health-checker", arg, parts[2]);
    return h;
}

// The quick path is a description of one cluster with one lb-config, so both forms go through
// the same generate and the same checks.
description::Description quick_description(const Options& o) {
    description::Description d;
    description::Cluster c;
    c.name = o.cluster;
    for (const auto& arg : o.instances) {
        description::Server s = parse_instance(arg);
        for (const auto& other : c.servers) {
            if (other.name == s.name) {
                throw ArgumentError{kInvalid, "--instance " + config::quoted(arg) + ": instance " +
                                                  config::quoted(s.name) + " is given twice"};
            }
        }
        c.servers.push_back(std::move(s));
    }
    for (const auto& arg : o.weights) {
        auto [name, value] = split_pair("--weight", arg, '=');
        instance_named(c, "--weight", arg, name).weight = number("--weight", arg, value);
    }
    for (const auto& arg : o.versions) {
        auto [name, value] = split_pair("--version", arg, '=');
        instance_named(c, "--version", arg, name).version = value;
    }
    for (const auto& root : o.web_modules) {
        if (description::find_application(d, root) != nullptr) {
            throw ArgumentError{kInvalid,
                                "--web-module " + config::quoted(root) + " is given twice"};
        }
        description::Application a;
        a.name = root;
        a.context_root = root;
        d.applications.push_back(a);
        c.application_refs.push_back({root, true, description::kDefaultDisableTimeoutMinutes, 0});
    }
    description::ClusterRef ref;
    ref.ref = c.name;
    // Weights only steer new sessions under weighted-round-robin: asking for them asks for it.
    ref.policy =
        o.weights.empty() ? config::Policy::RoundRobin : config::Policy::WeightedRoundRobin;
    if (!o.policy.empty()) {
        const auto policy = config::parse_policy(o.policy);
        if (!policy) {
            throw ArgumentError{kInvalid, "--policy " + config::quoted(o.policy) +
                                              " is unknown (expected round-robin, "
                                              "weighted-round-robin, user-defined or adaptive)"};
        }
        ref.policy = *policy;
    }
    if (!o.health_checker.empty()) ref.health_checker = parse_health_checker(o.health_checker);
    description::LbConfig l;
    l.name = c.name + "-config";
    l.cluster_refs.push_back(ref);
    for (const auto& arg : o.properties) {
        auto [name, value] = split_pair("--property", arg, '=');
        l.properties.push_back({name, value, {}, 0});
    }
    d.clusters.push_back(std::move(c));
    d.lb_configs.push_back(std::move(l));
    d.file = "command line";
    return d;
}

// Same content (the footer date aside) as `path` holds already: left as it is, so its mtime
// does not move and a reload poller or a copy job sees no change.
bool holds_already(const std::string& path, const std::string& xml) {
    std::string text;
    std::string why;
    return read_text_file(path, text, why) &&
           config::content_hash(text) == config::content_hash(xml);
}

int run(const Options& o) {
    const bool from_file = !o.description_file.empty();
    if (from_file == !o.cluster.empty()) {
        std::cerr << "generate: give either --description FILE --config NAME or --cluster NAME "
                     "--instance ...\n";
        return kUsage;
    }
    if (from_file && o.lb_config.empty()) {
        std::cerr << "generate: --description needs --config NAME (the lb-config to generate)\n";
        return kUsage;
    }
    if (!from_file && o.instances.empty()) {
        std::cerr << "generate: --cluster needs at least one --instance NAME=URL\n";
        return kUsage;
    }
    std::string xml;
    try {
        const description::Description d =
            from_file ? description::load_description(o.description_file) : quick_description(o);
        xml = config::write_xml(
            description::generate(d, from_file ? o.lb_config : d.lb_configs[0].name),
            generated_on_now());
    } catch (const ArgumentError& e) {
        std::cerr << "generate: " << e.message << '\n';
        return e.exit_code;
    } catch (const description::DescriptionError& e) {
        std::cerr << e.what() << '\n';
        return kInvalid;
    } catch (const description::GenerateError& e) {
        std::cerr << "generate: " << e.what() << '\n';
        return kInvalid;
    }
    // What validate would say of the output (warnings, e.g. an unknown property): the operator
    // sees it now rather than at the next reload.
    const auto check = config::load_string(xml, o.output.empty() ? "generated" : o.output);
    for (const auto& diagnostic : check.diagnostics) std::cerr << diagnostic.text() << '\n';
    if (!check.ok()) return kInvalid;
    if (o.output.empty() || o.output == "-") {
        std::cout << xml;
        return 0;
    }
    if (holds_already(o.output, xml)) {
        std::cerr << "generate: " << o.output << " unchanged (it holds this content already)\n";
        return 0;
    }
    // Atomically: mod_zdu may reload the file at any moment and must never read half of it.
    WriteOptions write;
    write.keep_backup = false;
    if (const std::string why = write_file_atomically(o.output, xml, write); !why.empty()) {
        std::cerr << "generate: cannot write " << o.output << ": " << why << '\n';
        return kInvalid;
    }
    return 0;
}

}  // namespace

void add_generate_command(CLI::App& app, int& exit_code) {
    CLI::App* command = app.add_subcommand(
        "generate",
        "Write loadbalancer.xml from a cluster description's lb-config, or from one "
        "cluster given on the command line");
    command->footer(
        "Examples:\n"
        "  lbxml-gen generate --description cluster-description.xml --config shop-lb-config "
        "-o loadbalancer.xml\n"
        "  lbxml-gen generate --cluster c1 --instance i1=http://127.0.0.1:8081 "
        "--instance i2=http://127.0.0.1:8082 --web-module /app --health-checker /ping,30,10 "
        "--weight i2=300 --version i2=2.0 --property response-timeout-in-seconds=60 "
        "-o loadbalancer.xml\n");
    // Shared with the callback, which CLI11 runs after this function has returned.
    auto o = std::make_shared<Options>();
    command->add_option("--description,-d", o->description_file, "Cluster description file");
    command->add_option("--config,-c", o->lb_config, "The lb-config to generate");
    command->add_option("--cluster", o->cluster, "Quick path: the cluster's name");
    command->add_option("--instance", o->instances,
                        "Quick path: NAME=URL[,URL...] (http, https or ajp listeners); repeat");
    command->add_option("--web-module", o->web_modules, "Quick path: a context root; repeat");
    command->add_option("--health-checker", o->health_checker,
                        "Quick path: URL[,INTERVAL[,TIMEOUT]] in seconds");
    command->add_option("--weight", o->weights, "Quick path: NAME=WEIGHT; repeat");
    command->add_option("--version", o->versions, "Quick path: NAME=VERSION; repeat");
    command->add_option("--property", o->properties, "Quick path: NAME=VALUE; repeat");
    command->add_option("--policy", o->policy,
                        "Quick path: round-robin (default; weighted-round-robin when --weight is "
                        "given), weighted-round-robin, user-defined or adaptive");
    command->add_option("--output,-o", o->output, "Output file (default: standard output)");
    for (const char* quick : {"--cluster", "--instance", "--web-module", "--health-checker",
                              "--weight", "--version", "--property", "--policy"}) {
        command->get_option(quick)->excludes("--description");
    }
    command->callback([o, &exit_code] { exit_code = run(*o); });
}

}  // namespace lbxml_gen
