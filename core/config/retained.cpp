#include "config/retained.hpp"

#include <cstdlib>
#include <variant>

#include "config/listener_parser.hpp"

namespace zdu::config {
namespace {

std::string escaped(std::string_view s) {
    static const char* const hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char ch : s) {
        if (ch == '%' || ch == '\t' || ch == '\n' || ch == '\r' || ch == ' ') {
            out += '%';
            out += hex[ch >> 4];
            out += hex[ch & 15];
        } else {
            out += static_cast<char>(ch);
        }
    }
    return out;
}

std::string unescaped(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(
                std::strtol(std::string(s.substr(i + 1, 2)).c_str(), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::vector<std::string_view> split(std::string_view line, char sep) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line[i] == sep) {
            parts.push_back(line.substr(start, i - start));
            start = i + 1;
        }
    }
    return parts;
}

const Cluster* find_cluster(const LoadBalancer& lb, const std::string& name) {
    for (const Cluster& c : lb.clusters) {
        if (c.name == name) return &c;
    }
    return nullptr;
}

bool has_instance(const Cluster& c, const std::string& name) {
    for (const Instance& i : c.instances) {
        if (i.name == name) return true;
    }
    return false;
}

bool parse_line(std::string_view line, RetainedInstance& r) {
    std::vector<std::string_view> f = split(line, '\t');
    if (f.size() != 8 || f[0].empty() || f[1].empty()) return false;
    r.cluster = unescaped(f[0]);
    Instance& i = r.instance;
    i.name = unescaped(f[1]);
    i.weight = std::atoi(std::string(f[2]).c_str());
    i.disable_timeout_minutes = std::atoi(std::string(f[3]).c_str());
    i.route = unescaped(f[4]);
    i.domain = unescaped(f[5]);
    i.version = unescaped(f[6]);
    i.enabled = false;
    for (std::string_view url : split(f[7], ' ')) {
        auto parsed = parse_listener(url);
        if (auto* l = std::get_if<Listener>(&parsed)) i.listeners.push_back(*l);
    }
    return !i.listeners.empty();
}

}  // namespace

std::string format_retained(const std::vector<RetainedInstance>& kept) {
    std::string out;
    for (const RetainedInstance& r : kept) {
        const Instance& i = r.instance;
        std::string listeners;
        for (const Listener& l : i.listeners) listeners += (listeners.empty() ? "" : " ") + l.url();
        out += escaped(r.cluster) + '\t' + escaped(i.name) + '\t' + std::to_string(i.weight) +
               '\t' + std::to_string(i.disable_timeout_minutes) + '\t' + escaped(i.route) + '\t' +
               escaped(i.domain) + '\t' + escaped(i.version) + '\t' + listeners + '\n';
    }
    return out;
}

std::vector<RetainedInstance> parse_retained(std::string_view text) {
    std::vector<RetainedInstance> kept;
    for (std::string_view line : split(text, '\n')) {
        RetainedInstance r;
        if (!line.empty() && parse_line(line, r)) kept.push_back(std::move(r));
    }
    return kept;
}

std::vector<RetainedInstance> retained_after(const LoadBalancer& served, const LoadBalancer& next) {
    std::vector<RetainedInstance> kept;
    for (const Cluster& c : served.clusters) {
        const Cluster* still = find_cluster(next, c.name);
        if (!still) continue;
        for (const Instance& i : c.instances) {
            if (has_instance(*still, i.name)) continue;
            RetainedInstance r{c.name, i};
            r.instance.enabled = false;
            r.instance.line = 0;
            kept.push_back(std::move(r));
        }
    }
    return kept;
}

LoadBalancer with_retained(const LoadBalancer& lb, const std::vector<RetainedInstance>& kept) {
    LoadBalancer out = lb;
    for (const RetainedInstance& r : kept) {
        for (Cluster& c : out.clusters) {
            if (c.name != r.cluster || has_instance(c, r.instance.name)) continue;
            c.instances.push_back(r.instance);
            c.instances.back().enabled = false;
        }
    }
    return out;
}

}  // namespace zdu::config
