#include "diff_command.hpp"

#include <iostream>
#include <memory>

#include "config/loader.hpp"

namespace lbxml_gen {
namespace {

using zdu::config::Cluster;
using zdu::config::Instance;
using zdu::config::LoadBalancer;
using zdu::config::WebModule;

const Cluster* find_cluster(const LoadBalancer& lb, const std::string& name) {
    for (const Cluster& c : lb.clusters)
        if (c.name == name) return &c;
    return nullptr;
}

const Instance* find_instance(const Cluster& c, const std::string& name) {
    for (const Instance& i : c.instances)
        if (i.name == name) return &i;
    return nullptr;
}

const WebModule* find_web_module(const Cluster& c, const std::string& root) {
    for (const WebModule& w : c.web_modules)
        if (w.context_root == root) return &w;
    return nullptr;
}

// An empty version is a version like any other; shown so the reader sees it is unset.
std::string shown(const std::string& version) {
    return version.empty() ? "(none)" : version;
}

std::string canary_text(const Cluster& c) {
    if (c.canary_version.empty() || c.canary_percent == 0) return "off";
    return c.canary_version + " " + std::to_string(c.canary_percent) + "%";
}

std::string instance_facts(const Instance& i) {
    std::string text = "(";
    if (!i.version.empty()) text += "version " + i.version + ", ";
    text += "weight " + std::to_string(i.weight);
    if (!i.enabled) text += ", disabled";
    return text + ")";
}

void instance_changes(const std::string& cluster, const Instance& a, const Instance& b,
                      std::vector<std::string>& out) {
    const std::string name = cluster + "/" + b.name;
    if (a.enabled != b.enabled)
        out.push_back(std::string("instance ") + (b.enabled ? "enabled " : "disabled ") + name);
    if (a.weight != b.weight)
        out.push_back("weight " + name + " " + std::to_string(a.weight) + " -> " +
                      std::to_string(b.weight));
    if (a.version != b.version)
        out.push_back("version " + name + " " + shown(a.version) + " -> " + shown(b.version));
    if (a.disable_timeout_minutes != b.disable_timeout_minutes)
        out.push_back("disable timeout " + name + " " + std::to_string(a.disable_timeout_minutes) +
                      " -> " + std::to_string(b.disable_timeout_minutes) + " minutes");
    Instance rest_a = a, rest_b = b;
    rest_a.disable_timeout_minutes = rest_b.disable_timeout_minutes;
    rest_a.enabled = rest_b.enabled;
    rest_a.weight = rest_b.weight;
    rest_a.version = rest_b.version;
    if (!(rest_a == rest_b)) out.push_back("instance settings " + name + " changed");
}

void cluster_changes(const Cluster& a, const Cluster& b, std::vector<std::string>& out) {
    if (a.active_version != b.active_version)
        out.push_back("active version " + b.name + " " + shown(a.active_version) + " -> " +
                      shown(b.active_version));
    if (canary_text(a) != canary_text(b))
        out.push_back("canary " + b.name + " " + canary_text(a) + " -> " + canary_text(b));
    for (const Instance& i : b.instances) {
        const Instance* old = find_instance(a, i.name);
        if (old == nullptr) {
            out.push_back("instance added " + b.name + "/" + i.name + " " + instance_facts(i));
        } else {
            instance_changes(b.name, *old, i, out);
        }
    }
    for (const Instance& i : a.instances)
        if (find_instance(b, i.name) == nullptr)
            out.push_back("instance removed " + a.name + "/" + i.name);
    for (const WebModule& w : b.web_modules) {
        const WebModule* old = find_web_module(a, w.context_root);
        const std::string name = b.name + w.context_root;
        if (old == nullptr) {
            out.push_back("web-module added " + name);
        } else if (old->enabled != w.enabled) {
            out.push_back(std::string("web-module ") + (w.enabled ? "enabled " : "disabled ") +
                          name);
        } else if (!(*old == w)) {
            out.push_back("web-module settings " + name + " changed");
        }
    }
    for (const WebModule& w : a.web_modules)
        if (find_web_module(b, w.context_root) == nullptr)
            out.push_back("web-module removed " + a.name + w.context_root);
    if (a.policy != b.policy || a.policy_module != b.policy_module)
        out.push_back("policy " + b.name + " " + std::string(policy_name(a.policy)) + " -> " +
                      std::string(policy_name(b.policy)));
    if (!(a.health_checker == b.health_checker))
        out.push_back("health checker " + b.name + " changed");
    if (a.session_cookie != b.session_cookie)
        out.push_back("session cookie " + b.name + " " + std::string(a.session_cookie_name()) +
                      " -> " + std::string(b.session_cookie_name()));
}

}  // namespace

std::vector<std::string> describe_changes(const LoadBalancer& before, const LoadBalancer& after) {
    std::vector<std::string> out;
    for (const Cluster& c : after.clusters) {
        const Cluster* old = find_cluster(before, c.name);
        if (old == nullptr) {
            out.push_back("cluster added " + c.name + " (" + std::to_string(c.instances.size()) +
                          " instances)");
        } else {
            cluster_changes(*old, c, out);
        }
    }
    for (const Cluster& c : before.clusters)
        if (find_cluster(after, c.name) == nullptr) out.push_back("cluster removed " + c.name);
    for (const auto& p : after.properties) {
        const auto* old = before.find_property(p.name);
        if (old == nullptr) {
            out.push_back("property added " + p.name + "=" + p.value);
        } else if (old->value != p.value) {
            out.push_back("property " + p.name + " " + old->value + " -> " + p.value);
        }
    }
    for (const auto& p : before.properties)
        if (after.find_property(p.name) == nullptr) out.push_back("property removed " + p.name);
    // Anything the lines above do not name (e.g. a property's description) still shows.
    if (out.empty() && !(before == after)) out.push_back("other settings changed");
    return out;
}

void add_diff_command(CLI::App& app, int& exit_code) {
    CLI::App* command = app.add_subcommand(
        "diff", "Show what changed for operators between two loadbalancer.xml files");
    command->footer(
        "Example:\n  lbxml-gen diff /etc/zdu/loadbalancer.xml.bak /etc/zdu/loadbalancer.xml\n"
        "Prints one line per change, or \"no change\". Exit 1 when a file is invalid.");
    auto files = std::make_shared<std::vector<std::string>>();
    command->add_option("OLD NEW", *files, "the file before and the file after")
        ->required()
        ->expected(2);
    command->callback([files, &exit_code] {
        const auto before = zdu::config::load_file((*files)[0]);
        const auto after = zdu::config::load_file((*files)[1]);
        for (const auto& d : before.diagnostics) std::cerr << d.text() << '\n';
        for (const auto& d : after.diagnostics) std::cerr << d.text() << '\n';
        if (!before.ok() || !after.ok()) {
            exit_code = 1;
            return;
        }
        const auto lines = describe_changes(*before.config, *after.config);
        if (lines.empty()) std::cout << "no change\n";
        for (const auto& line : lines) std::cout << line << '\n';
        exit_code = 0;
    });
}

}  // namespace lbxml_gen
