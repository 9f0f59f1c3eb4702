#include "metrics/prometheus.hpp"

#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace zdu::metrics {

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string escape_help(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string decimal_text(std::uint64_t value, std::uint64_t unit) {
    std::string frac = std::to_string(value % unit);
    const std::size_t digits = std::to_string(unit).size() - 1;
    return std::to_string(value / unit) + "." + std::string(digits - frac.size(), '0') + frac;
}

std::string seconds_text(std::uint64_t micros) {
    return decimal_text(micros, 1'000'000);
}

namespace {

using manager::ClusterStatus;
using manager::InstanceStatus;
using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

// Writes families one at a time, so every sample of a family follows its one TYPE line.
class Exposition {
  public:
    void family(std::string_view name, std::string_view type, std::string_view help) {
        name_ = name;
        out_ += "# HELP ";
        out_ += name;
        out_ += ' ';
        out_ += escape_help(help);
        out_ += "\n# TYPE ";
        out_ += name;
        out_ += ' ';
        out_ += type;
        out_ += '\n';
    }

    void sample(const Labels& labels, std::string_view value) {
        out_ += name_;
        if (!labels.empty()) {
            out_ += '{';
            for (std::size_t i = 0; i < labels.size(); ++i) {
                if (i) out_ += ',';
                out_ += labels[i].first;
                out_ += "=\"";
                out_ += escape_label_value(labels[i].second);
                out_ += '"';
            }
            out_ += '}';
        }
        out_ += ' ';
        out_ += value;
        out_ += '\n';
    }

    void sample(const Labels& labels, std::uint64_t value) {
        sample(labels, std::to_string(value));
    }

    std::string take() { return std::move(out_); }

  private:
    std::string out_;
    std::string name_;
};

Labels instance_labels(const ClusterStatus& c, const InstanceStatus& i) {
    return {{"cluster", c.name}, {"instance", i.name}, {"version", i.version}};
}

struct InstanceFamily {
    const char* name;
    const char* type;
    const char* help;
    std::function<std::optional<std::string>(const InstanceStatus&)> value;
};

std::optional<std::string> count(std::uint64_t n) {
    return std::to_string(n);
}

const std::vector<InstanceFamily>& instance_families() {
    static const std::vector<InstanceFamily> families = {
        {"zdu_instance_requests_total", "counter", "Requests sent to the instance (attempts).",
         [](const InstanceStatus& s) { return count(s.requests); }},
        {"zdu_instance_new_sessions_total", "counter", "New sessions the instance was given.",
         [](const InstanceStatus& s) { return count(s.new_sessions); }},
        {"zdu_instance_failures_total", "counter",
         "Failures of the instance: live traffic and health checks.",
         [](const InstanceStatus& s) { return count(s.failures); }},
        {"zdu_instance_failovers_total", "counter",
         "Requests moved to the instance off the instance of their session.",
         [](const InstanceStatus& s) { return count(s.failovers); }},
        {"zdu_instance_retries_total", "counter", "Requests retried after the instance failed.",
         [](const InstanceStatus& s) { return count(s.retries); }},
        {"zdu_instance_responses_5xx_total", "counter",
         "Final responses with status 500 or more the instance itself answered.",
         [](const InstanceStatus& s) { return count(s.responses_5xx); }},
        {"zdu_instance_answered_total", "counter", "Client requests the instance answered.",
         [](const InstanceStatus& s) { return count(s.answered); }},
        {"zdu_instance_response_seconds_total", "counter",
         "Time of the client requests the instance answered, summed (request start to end).",
         [](const InstanceStatus& s) { return seconds_text(s.answer_total_us); }},
        {"zdu_instance_response_max_seconds", "gauge",
         "Longest client request the instance answered.",
         [](const InstanceStatus& s) { return seconds_text(s.answer_max_us); }},
        {"zdu_instance_sessions_ended_total", "counter", "Sessions ended by a logout.",
         [](const InstanceStatus& s) { return count(s.sessions_ended); }},
        {"zdu_instance_sessions_expired_total", "counter", "Sessions that idled out.",
         [](const InstanceStatus& s) { return count(s.sessions_expired); }},
        {"zdu_instance_live_sessions", "gauge", "Live sessions the table tracks (last sweep).",
         [](const InstanceStatus& s) { return count(s.live_sessions); }},
        {"zdu_instance_untracked_sessions", "gauge",
         "Live sessions known only from client cookies (last sweep).",
         [](const InstanceStatus& s) { return count(s.untracked_sessions); }},
        {"zdu_instance_busy", "gauge", "Requests in flight to the instance.",
         [](const InstanceStatus& s) { return count(s.busy); }},
        {"zdu_instance_long_lived", "gauge", "WebSocket and server-sent event requests in flight.",
         [](const InstanceStatus& s) { return count(s.long_lived); }},
        {"zdu_instance_weight", "gauge", "Weight of the instance in the config.",
         [](const InstanceStatus& s) { return std::to_string(s.weight); }},
        {"zdu_instance_healthy", "gauge", "1 when the instance is healthy, else 0.",
         [](const InstanceStatus& s) { return count(s.unhealthy_since_ms == 0 ? 1 : 0); }},
        {"zdu_instance_session_end_rate", "gauge",
         "Sessions ended or expired per second, smoothed over about a minute.",
         [](const InstanceStatus& s) { return decimal_text(s.end_rate_micro, 1'000'000); }},
        {"zdu_instance_drain_estimate_seconds", "gauge",
         "Seconds until a draining instance has no session left at its session-end rate.",
         [](const InstanceStatus& s) -> std::optional<std::string> {
             if (auto e = manager::drain_estimate_s(s)) return std::to_string(*e);
             return std::nullopt;
         }},
    };
    return families;
}

void write_instance_families(Exposition& out, const manager::StatusData& data) {
    for (const InstanceFamily& f : instance_families()) {
        out.family(f.name, f.type, f.help);
        for (const ClusterStatus& c : data.clusters) {
            for (const InstanceStatus& i : c.instances) {
                if (auto v = f.value(i)) out.sample(instance_labels(c, i), *v);
            }
        }
    }
    // One series per instance, its state in a label: a state change moves the 1, so an alert
    // can count instances per state.
    out.family("zdu_instance_state", "gauge",
               "1 for the upgrade state of the instance (active, draining, drained, stopped, "
               "unhealthy).");
    for (const ClusterStatus& c : data.clusters) {
        for (const InstanceStatus& i : c.instances) {
            Labels labels = instance_labels(c, i);
            labels.emplace_back("state", lifecycle::reported_name(i.state));
            out.sample(labels, std::uint64_t{1});
        }
    }
}

struct VersionTotals {
    std::string_view version;
    std::uint64_t instances = 0;
    std::uint64_t requests = 0;
    std::uint64_t live_sessions = 0;
};

// The versions of a cluster in the order its instances name them.
std::vector<VersionTotals> versions_of(const ClusterStatus& c) {
    std::vector<VersionTotals> all;
    for (const InstanceStatus& i : c.instances) {
        VersionTotals* v = nullptr;
        for (auto& t : all) {
            if (t.version == i.version) v = &t;
        }
        if (!v) v = &all.emplace_back(VersionTotals{i.version});
        ++v->instances;
        v->requests += i.requests;
        v->live_sessions += i.live_sessions + i.untracked_sessions;
    }
    return all;
}

void write_version_families(Exposition& out, const manager::StatusData& data) {
    struct Family {
        const char* name;
        const char* type;
        const char* help;
        std::uint64_t (*value)(const ClusterStatus&, const VersionTotals&);
    };
    static const Family families[] = {
        {"zdu_version_instances", "gauge", "Instances of the version.",
         [](const ClusterStatus&, const VersionTotals& v) { return v.instances; }},
        {"zdu_version_requests_total", "counter", "Requests sent to instances of the version.",
         [](const ClusterStatus&, const VersionTotals& v) { return v.requests; }},
        {"zdu_version_live_sessions", "gauge",
         "Live sessions (tracked and untracked) on instances of the version.",
         [](const ClusterStatus&, const VersionTotals& v) { return v.live_sessions; }},
        {"zdu_version_active", "gauge", "1 for the version new sessions go to, else 0.",
         [](const ClusterStatus& c, const VersionTotals& v) -> std::uint64_t {
             return c.has_active_version && c.active_version == v.version ? 1 : 0;
         }},
        {"zdu_version_canary_percent", "gauge", "Share of new sessions the canary version takes.",
         [](const ClusterStatus& c, const VersionTotals& v) -> std::uint64_t {
             return c.canary_percent > 0 && c.canary_version == v.version
                        ? static_cast<std::uint64_t>(c.canary_percent)
                        : 0;
         }},
    };
    for (const Family& f : families) {
        out.family(f.name, f.type, f.help);
        for (const ClusterStatus& c : data.clusters) {
            for (const VersionTotals& v : versions_of(c)) {
                out.sample({{"cluster", c.name}, {"version", v.version}}, f.value(c, v));
            }
        }
    }
}

void write_cluster_families(Exposition& out, const manager::StatusData& data) {
    out.family("zdu_cluster_stale_sessions_total", "counter",
               "Sessions that met a retired instance.");
    for (const ClusterStatus& c : data.clusters)
        out.sample({{"cluster", c.name}}, c.stale_sessions);
    out.family("zdu_cluster_session_overflow_total", "counter",
               "Sessions not stored because the session table was full.");
    for (const ClusterStatus& c : data.clusters) {
        out.sample({{"cluster", c.name}}, c.session_overflow);
    }
    struct Family {
        const char* name;
        const char* help;
        std::uint64_t manager::WebModuleStatus::*value;
    };
    static const Family web_module_families[] = {
        {"zdu_web_module_requests_total", "Client requests to the web-module.",
         &manager::WebModuleStatus::requests},
        {"zdu_web_module_failures_total", "Client requests to the web-module answered with 5xx.",
         &manager::WebModuleStatus::failures},
        {"zdu_web_module_failovers_total",
         "Client requests to the web-module moved off the instance of their session.",
         &manager::WebModuleStatus::failovers},
    };
    for (const Family& f : web_module_families) {
        out.family(f.name, "counter", f.help);
        for (const ClusterStatus& c : data.clusters) {
            for (const auto& w : c.web_modules) {
                out.sample({{"cluster", c.name}, {"context_root", w.context_root}}, w.*f.value);
            }
        }
    }
}

void write_server_families(Exposition& out, const manager::StatusData& data) {
    out.family("zdu_config_generation", "gauge", "Generation of the config this child serves.");
    out.sample({}, data.config.generation);
    out.family("zdu_session_table_capacity", "gauge", "Entries the shared session table holds.");
    out.sample({}, data.sessions.capacity);
    out.family("zdu_session_table_used", "gauge", "Entries in use at the last sweep.");
    out.sample({}, data.sessions.used);
    out.family("zdu_session_table_overflow_total", "counter",
               "Sessions the table had no room for.");
    out.sample({}, data.sessions.overflow);
}

}  // namespace

std::string prometheus_text(const manager::StatusData& data) {
    Exposition out;
    write_instance_families(out, data);
    write_version_families(out, data);
    write_cluster_families(out, data);
    write_server_families(out, data);
    return out.take();
}

}  // namespace zdu::metrics
