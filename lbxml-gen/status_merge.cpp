#include "status_merge.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "front_end_push.hpp"
#include "manager/json_writer.hpp"

namespace lbxml_gen {
namespace {

std::uint64_t count_of(const Json* j, const std::string& key) {
    const Json* v = j ? j->get(key) : nullptr;
    return v && v->type == Json::Type::Number && v->number > 0
               ? static_cast<std::uint64_t>(v->number)
               : 0;
}

std::optional<double> optional_number(const Json& j, const std::string& key) {
    const Json* v = j.get(key);
    if (!v || v->type != Json::Type::Number) return std::nullopt;
    return v->number;
}

bool flag_of(const Json& j, const std::string& key, bool fallback) {
    const Json* v = j.get(key);
    return v && v->type == Json::Type::Bool ? v->boolean : fallback;
}

InstanceReading read_instance(const Json& j) {
    InstanceReading r;
    r.name = j.str("name");
    r.version = j.str("version");
    r.state = j.str("state");
    r.admin_state = j.str("admin_state");
    if (const Json* w = j.get("weight"); w && w->type == Json::Type::Number)
        r.weight = static_cast<int>(w->number);
    r.enabled = flag_of(j, "enabled", true);
    r.healthy = flag_of(j, "healthy", true);
    r.live_sessions = count_of(&j, "live_sessions");
    const Json* counters = j.get("counters");
    r.requests = count_of(counters, "requests");
    r.failures = count_of(counters, "failures");
    r.failovers = count_of(counters, "failovers");
    r.responses_5xx = count_of(counters, "responses_5xx");
    r.avg_response_ms = optional_number(j, "avg_response_ms");
    r.max_response_ms = optional_number(j, "max_response_ms");
    r.drain_estimate_s = optional_number(j, "drain_estimate_s");
    return r;
}

ClusterReading read_cluster(const Json& j) {
    ClusterReading c;
    c.name = j.str("name");
    if (const Json* a = j.get("active_version"); a && a->type == Json::Type::String)
        c.active_version = a->text;
    if (const Json* canary = j.get("canary"); canary && canary->type == Json::Type::Object) {
        c.canary_version = canary->str("version");
        if (const Json* p = canary->get("percent"); p && p->type == Json::Type::Number)
            c.canary_percent = static_cast<int>(p->number);
    }
    if (const Json* list = j.get("instances"); list && list->type == Json::Type::Array)
        for (const Json& i : list->items) c.instances.push_back(read_instance(i));
    return c;
}

// The distinct values in first-seen order, joined by '/': one value when all agree.
std::string joined(const std::vector<std::string>& values) {
    std::vector<std::string> seen;
    for (const auto& v : values)
        if (std::find(seen.begin(), seen.end(), v) == seen.end()) seen.push_back(v);
    std::string out;
    for (const auto& v : seen) out += (out.empty() ? "" : "/") + v;
    return out;
}

std::optional<double> max_of(std::optional<double> a, std::optional<double> b) {
    if (!a) return b;
    if (!b) return a;
    return std::max(*a, *b);
}

// Collects one instance's readings over the front-ends, in the order they come.
struct InstanceAccumulator {
    MergedInstance merged;
    std::vector<std::string> states;
    std::vector<std::string> versions;
    double weighted_ms = 0;
    std::uint64_t timed_requests = 0;
    bool any_avg = false;

    void add(const InstanceReading& r, SessionCount count) {
        if (merged.front_ends == 0) {
            merged.name = r.name;
            merged.weight = r.weight;
        }
        ++merged.front_ends;
        states.push_back(r.state);
        versions.push_back(r.version);
        if (!r.healthy) ++merged.unhealthy_on;
        merged.live_sessions = count == SessionCount::PerFrontEnd
                                   ? merged.live_sessions + r.live_sessions
                                   : std::max(merged.live_sessions, r.live_sessions);
        merged.requests += r.requests;
        merged.failures += r.failures;
        merged.failovers += r.failovers;
        merged.responses_5xx += r.responses_5xx;
        if (r.avg_response_ms) {
            any_avg = true;
            weighted_ms += *r.avg_response_ms * static_cast<double>(r.requests);
            timed_requests += r.requests;
        }
        merged.max_response_ms = max_of(merged.max_response_ms, r.max_response_ms);
        merged.drain_estimate_s = max_of(merged.drain_estimate_s, r.drain_estimate_s);
    }

    MergedInstance finish() {
        merged.state = joined(states);
        merged.version = joined(versions);
        if (any_avg)
            merged.avg_response_ms =
                timed_requests ? weighted_ms / static_cast<double>(timed_requests) : 0.0;
        merged.drained_everywhere = std::all_of(states.begin(), states.end(), [](const auto& s) {
            return s == "drained" || s == "stopped";
        });
        return merged;
    }
};

struct ClusterAccumulator {
    std::string name;
    std::vector<std::string> active;
    std::vector<std::string> canary;
    std::vector<std::string> order;  // instance names, first seen first
    std::map<std::string, InstanceAccumulator> instances;

    void add(const ClusterReading& c, SessionCount count) {
        name = c.name;
        active.push_back(c.active_version ? *c.active_version : "-");
        canary.push_back(c.canary_percent > 0 && !c.canary_version.empty()
                             ? c.canary_version + " at " + std::to_string(c.canary_percent) + "%"
                             : "-");
        for (const auto& i : c.instances) {
            if (!instances.count(i.name)) order.push_back(i.name);
            instances[i.name].add(i, count);
        }
    }

    MergedCluster finish() {
        MergedCluster out{name, joined(active), joined(canary), {}};
        for (const auto& n : order) out.instances.push_back(instances[n].finish());
        return out;
    }
};

std::string optional_text(const std::optional<double>& v, int decimals) {
    if (!v) return "-";
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, *v);
    return text;
}

void optional_json(zdu::manager::JsonWriter& w, std::string_view key,
                   const std::optional<double>& v) {
    w.key(key);
    if (!v) {
        w.null();
        return;
    }
    // millis() writes microseconds as a number with three decimals, without the locale.
    w.millis(std::chrono::microseconds(std::llround(*v * 1000)));
}

}  // namespace

FrontEndReading read_front_end_status(const std::string& url, std::string_view body) {
    FrontEndReading r;
    r.url = url;
    Json doc;
    if (!parse_json(body, doc) || doc.type != Json::Type::Object) {
        r.error = "the answer is not JSON";
        return r;
    }
    const Json* clusters = doc.get("clusters");
    if (!clusters || clusters->type != Json::Type::Array) {
        r.error = doc.str("error").empty() ? "the answer is not a status document"
                                           : "refused: " + doc.str("error");
        return r;
    }
    r.read = true;
    r.config_hash = doc.str("config_hash");
    r.generation = count_of(&doc, "generation");
    for (const Json& c : clusters->items) r.clusters.push_back(read_cluster(c));
    return r;
}

MergedStatus merge_status(const std::vector<FrontEndReading>& readings, SessionCount count) {
    MergedStatus out;
    out.session_count = count;
    std::vector<std::string> order;
    std::map<std::string, ClusterAccumulator> clusters;
    std::map<std::string, int> hash_votes;
    for (const auto& fe : readings) {
        out.front_ends.push_back({fe.url, fe.read, fe.error, fe.config_hash, fe.generation, false});
        if (!fe.read) {
            out.all_read = false;
            continue;
        }
        ++hash_votes[fe.config_hash];
        for (const auto& c : fe.clusters) {
            if (!clusters.count(c.name)) order.push_back(c.name);
            clusters[c.name].add(c, count);
        }
    }
    for (const auto& n : order) out.clusters.push_back(clusters[n].finish());
    out.mixed_hashes = hash_votes.size() > 1;
    if (out.mixed_hashes) {
        // The hash most front-ends run is taken as the intended one; ties go to the first read.
        std::string common;
        int votes = 0;
        for (const auto& fe : out.front_ends)
            if (fe.read && hash_votes[fe.config_hash] > votes)
                common = fe.config_hash, votes = hash_votes[fe.config_hash];
        for (auto& fe : out.front_ends) fe.hash_differs = fe.read && fe.config_hash != common;
    }
    return out;
}

const MergedInstance* find_merged(const MergedStatus& merged, std::string_view cluster,
                                  std::string_view name) {
    for (const auto& c : merged.clusters) {
        if (c.name != cluster) continue;
        for (const auto& i : c.instances)
            if (i.name == name) return &i;
    }
    return nullptr;
}

std::string format_status_table(const MergedStatus& merged) {
    std::ostringstream out;
    char line[512];
    const char* row = "  %-16s %-10s %-17s %6s %-9s %8s %9s %9s %8s %8s %8s\n";
    for (const auto& c : merged.clusters) {
        out << "cluster " << c.name << "  active " << c.active_version << "  canary " << c.canary
            << '\n';
        std::snprintf(line, sizeof line, row, "INSTANCE", "VERSION", "STATE", "WEIGHT", "HEALTH",
                      "SESSIONS", "REQUESTS", "FAILOVERS", "AVG_MS", "MAX_MS", "DRAIN_S");
        out << line;
        for (const auto& i : c.instances) {
            const std::string health =
                i.unhealthy_on == 0
                    ? "ok"
                    : "down " + std::to_string(i.unhealthy_on) + "/" + std::to_string(i.front_ends);
            std::snprintf(line, sizeof line, row, i.name.c_str(), i.version.c_str(),
                          i.state.c_str(), std::to_string(i.weight).c_str(), health.c_str(),
                          std::to_string(i.live_sessions).c_str(),
                          std::to_string(i.requests).c_str(), std::to_string(i.failovers).c_str(),
                          optional_text(i.avg_response_ms, 1).c_str(),
                          optional_text(i.max_response_ms, 1).c_str(),
                          optional_text(i.drain_estimate_s, 0).c_str());
            out << line;
        }
        out << '\n';
    }
    out << (merged.session_count == SessionCount::PerFrontEnd
                ? "sessions: summed over front-ends (each tracks its own)\n"
                : "sessions: one shared count (not summed)\n");
    for (const auto& fe : merged.front_ends) {
        out << "front-end " << fe.url << ": ";
        if (!fe.read) {
            out << "NOT READ: " << fe.error << '\n';
            continue;
        }
        out << "config " << fe.config_hash << " generation " << fe.generation
            << (fe.hash_differs ? "  MIXED: differs from the others" : "") << '\n';
    }
    return out.str();
}

std::string format_status_json(const MergedStatus& merged) {
    zdu::manager::JsonWriter w;
    w.begin_object()
        .field("all_read", merged.all_read)
        .field("mixed_hashes", merged.mixed_hashes)
        .field("sessions_summed", merged.session_count == SessionCount::PerFrontEnd);
    w.key("clusters").begin_array();
    for (const auto& c : merged.clusters) {
        w.begin_object()
            .field("name", c.name)
            .field("active_version", c.active_version)
            .field("canary", c.canary);
        w.key("instances").begin_array();
        for (const auto& i : c.instances) {
            w.begin_object()
                .field("name", i.name)
                .field("version", i.version)
                .field("state", i.state)
                .field("weight", i.weight)
                .field("front_ends", i.front_ends)
                .field("unhealthy_on", i.unhealthy_on)
                .field("live_sessions", i.live_sessions)
                .field("requests", i.requests)
                .field("failures", i.failures)
                .field("failovers", i.failovers)
                .field("responses_5xx", i.responses_5xx)
                .field("drained_everywhere", i.drained_everywhere);
            optional_json(w, "avg_response_ms", i.avg_response_ms);
            optional_json(w, "max_response_ms", i.max_response_ms);
            optional_json(w, "drain_estimate_s", i.drain_estimate_s);
            w.end_object();
        }
        w.end_array().end_object();
    }
    w.end_array();
    w.key("front_ends").begin_array();
    for (const auto& fe : merged.front_ends) {
        w.begin_object().field("url", fe.url).field("read", fe.read);
        if (fe.read) {
            w.field("config_hash", fe.config_hash)
                .field("generation", fe.generation)
                .field("hash_differs", fe.hash_differs);
        } else {
            w.field("error", fe.error);
        }
        w.end_object();
    }
    w.end_array().end_object();
    return w.text() + "\n";
}

}  // namespace lbxml_gen
