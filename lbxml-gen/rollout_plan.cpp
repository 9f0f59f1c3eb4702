#include "rollout_plan.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "front_end_push.hpp"
#include "manager/json_writer.hpp"

namespace lbxml_gen {
namespace {

// Written and checked, so a state file from another layout is refused, not misread.
constexpr int kStateFormat = 1;

std::string seconds_text(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", s);
    return text;
}

std::string step_line(const RolloutParams& p, const Step& s) {
    const std::string& v1 = p.from_version;
    const std::string& v2 = p.to_version;
    switch (s.kind) {
        case StepKind::StartNew: {
            std::string out;
            if (!p.on_start_new.empty()) out += "run `" + p.on_start_new + "`; ";
            out += "keep " + v1 + " active, ";
            for (const auto& n : p.add) out += "add " + n.name + " (" + n.listener + "), ";
            return out + "enable every " + v2 + " instance of " + p.cluster +
                   "; apply; wait until they are healthy on every front-end";
        }
        case StepKind::Canary:
            return "canary " + v2 + " at " + std::to_string(s.percent) + "%; apply; pause " +
                   seconds_text(p.pause_s) + " s; roll back if the " + v2 +
                   " instances' error rate is above " + seconds_text(p.max_error_rate);
        case StepKind::Activate:
            return "canary off, make " + v2 + " active; apply";
        case StepKind::Drain:
            return "wait until every " + v1 + " instance is drained on every front-end" +
                   (p.drain_timeout_s > 0 ? " (at most " + seconds_text(p.drain_timeout_s) + " s)"
                                          : "");
        case StepKind::Retire: {
            std::string out = "disable";
            if (p.remove_old) out += " and remove";
            out += " the " + v1 + " instances; apply";
            if (!p.on_stop_old.empty()) out += "; run `" + p.on_stop_old + "`";
            return out;
        }
    }
    return {};
}

std::string shell_quote(const std::string& s) {
    if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789-_./=:,@%+") == std::string::npos)
        return s;
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string json_double(double v) {
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", v);
    std::string out = text;
    for (char& c : out)
        if (c == ',') c = '.';  // a locale's decimal comma is not JSON
    return out;
}

double number_of(const Json& j, const std::string& key, double fallback) {
    const Json* v = j.get(key);
    return v && v->type == Json::Type::Number ? v->number : fallback;
}

}  // namespace

std::vector<Step> plan_steps(const RolloutParams& p) {
    std::vector<Step> steps{{StepKind::StartNew, 0}};
    for (int percent : p.canary_percents) steps.push_back({StepKind::Canary, percent});
    steps.push_back({StepKind::Activate, 0});
    steps.push_back({StepKind::Drain, 0});
    steps.push_back({StepKind::Retire, 0});
    return steps;
}

std::string step_name(const Step& s) {
    switch (s.kind) {
        case StepKind::StartNew:
            return "start-new";
        case StepKind::Canary:
            return "canary-" + std::to_string(s.percent);
        case StepKind::Activate:
            return "activate";
        case StepKind::Drain:
            return "drain";
        case StepKind::Retire:
            return "retire";
    }
    return {};
}

std::string format_plan(const RolloutParams& p, std::size_t first_step) {
    std::ostringstream out;
    out << "rollout of cluster " << p.cluster << " on " << p.lb_name << ": " << p.from_version
        << " -> " << p.to_version << '\n';
    const auto steps = plan_steps(p);
    for (std::size_t k = first_step; k < steps.size(); ++k)
        out << "  " << k + 1 << ". " << step_name(steps[k]) << ": " << step_line(p, steps[k])
            << '\n';
    return out.str();
}

std::optional<std::vector<NewInstance>> parse_new_instances(const std::string& text,
                                                            std::string& why) {
    std::vector<NewInstance> out;
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        const auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
            why = "--add: expected NAME=URL, got '" + item + "'";
            return std::nullopt;
        }
        out.push_back({item.substr(0, eq), item.substr(eq + 1)});
    }
    return out;
}

std::optional<std::vector<int>> parse_percents(const std::string& text, std::string& why) {
    std::vector<int> out;
    std::stringstream items(text);
    std::string item;
    while (std::getline(items, item, ',')) {
        std::size_t used = 0;
        int percent = 0;
        try {
            percent = std::stoi(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != item.size() || percent < 1 || percent > 99 ||
            (!out.empty() && percent <= out.back())) {
            why = "--canary: expected rising percents in 1..99, got '" + item + "'";
            return std::nullopt;
        }
        out.push_back(percent);
    }
    if (out.empty()) {
        why = "--canary: no percent given";
        return std::nullopt;
    }
    return out;
}

std::string rollout_state_path(const std::string& description) {
    return description + ".rollout";
}

std::string write_rollout_state(const RolloutState& s) {
    const RolloutParams& p = s.params;
    zdu::manager::JsonWriter w;
    w.begin_object()
        .field("format", kStateFormat)
        .field("next_step", s.next_step)
        .field("step", s.next_step < plan_steps(p).size() ? step_name(plan_steps(p)[s.next_step])
                                                          : std::string("done"))
        .field("canary_used", s.canary_used)
        .field("lb_name", p.lb_name)
        .field("cluster", p.cluster)
        .field("from_version", p.from_version)
        .field("to_version", p.to_version);
    w.key("add").begin_array();
    for (const auto& n : p.add)
        w.begin_object().field("name", n.name).field("listener", n.listener).end_object();
    w.end_array();
    w.key("canary").begin_array();
    for (int percent : p.canary_percents) w.number(percent);
    w.end_array();
    std::string text = w.text();
    // JsonWriter writes integers only; the seconds and the rate go in as plain JSON numbers.
    text += ",\"pause_s\":" + json_double(p.pause_s);
    text += ",\"max_error_rate\":" + json_double(p.max_error_rate);
    text += ",\"drain_timeout_s\":" + json_double(p.drain_timeout_s);
    zdu::manager::JsonWriter tail;
    tail.begin_object()
        .field("on_start_new", p.on_start_new)
        .field("on_stop_old", p.on_stop_old)
        .field("remove_old", p.remove_old)
        .end_object();
    return text + "," + tail.text().substr(1) + "\n";
}

std::optional<RolloutState> read_rollout_state(const std::string& text, std::string& why) {
    Json doc;
    if (!parse_json(text, doc) || doc.type != Json::Type::Object) {
        why = "not JSON";
        return std::nullopt;
    }
    if (number_of(doc, "format", 0) != kStateFormat) {
        why = "not a rollout state file of this lbxml-gen (format " + std::to_string(kStateFormat) +
              ")";
        return std::nullopt;
    }
    RolloutState s;
    RolloutParams& p = s.params;
    s.next_step = static_cast<std::size_t>(number_of(doc, "next_step", 0));
    const Json* used = doc.get("canary_used");
    s.canary_used = used && used->type == Json::Type::Bool && used->boolean;
    p.lb_name = doc.str("lb_name");
    p.cluster = doc.str("cluster");
    p.from_version = doc.str("from_version");
    p.to_version = doc.str("to_version");
    if (const Json* add = doc.get("add"); add && add->type == Json::Type::Array)
        for (const Json& n : add->items) p.add.push_back({n.str("name"), n.str("listener")});
    if (const Json* canary = doc.get("canary"); canary && canary->type == Json::Type::Array)
        for (const Json& n : canary->items)
            if (n.type == Json::Type::Number)
                p.canary_percents.push_back(static_cast<int>(n.number));
    p.pause_s = number_of(doc, "pause_s", p.pause_s);
    p.max_error_rate = number_of(doc, "max_error_rate", p.max_error_rate);
    p.drain_timeout_s = number_of(doc, "drain_timeout_s", 0);
    p.on_start_new = doc.str("on_start_new");
    p.on_stop_old = doc.str("on_stop_old");
    const Json* remove = doc.get("remove_old");
    p.remove_old = remove && remove->type == Json::Type::Bool && remove->boolean;
    if (p.lb_name.empty() || p.cluster.empty() || p.from_version.empty() || p.to_version.empty() ||
        s.next_step > plan_steps(p).size()) {
        why = "incomplete: it names no load-balancer, cluster or versions, or a step past the end";
        return std::nullopt;
    }
    return s;
}

namespace {

// What happened between two counts of one front-end's instance: a counter that went down
// (the front-end restarted) counts from 0.
TrafficCount delta(const TrafficCount& before, const TrafficCount& after) {
    const bool restarted = after.requests < before.requests || after.failures < before.failures ||
                           after.responses_5xx < before.responses_5xx;
    const TrafficCount base = restarted ? TrafficCount{} : before;
    return {after.requests - base.requests, after.failures - base.failures,
            after.responses_5xx - base.responses_5xx};
}

std::optional<double> rate_of(const TrafficCount& d) {
    if (d.requests == 0) return std::nullopt;
    return static_cast<double>(d.failures + d.responses_5xx) / static_cast<double>(d.requests);
}

}  // namespace

std::optional<double> error_rate(const TrafficCount& before, const TrafficCount& after) {
    return rate_of(delta(before, after));
}

std::optional<double> error_rate_by_front_end(const TrafficCounts& before,
                                              const TrafficCounts& after) {
    TrafficCount sum;
    for (const auto& [key, now] : after) {
        const auto was = before.find(key);
        const TrafficCount d = delta(was == before.end() ? TrafficCount{} : was->second, now);
        sum.requests += d.requests;
        sum.failures += d.failures;
        sum.responses_5xx += d.responses_5xx;
    }
    return rate_of(sum);
}

std::string progress_bar(std::uint64_t remaining, std::uint64_t at_start,
                         std::optional<double> estimate_s, int width) {
    const std::uint64_t total = std::max(at_start, remaining);
    const int done = total == 0 ? width
                                : static_cast<int>(static_cast<double>(width) *
                                                   static_cast<double>(total - remaining) /
                                                   static_cast<double>(total));
    std::string out = "[" + std::string(static_cast<std::size_t>(done), '#') +
                      std::string(static_cast<std::size_t>(width - done), '.') + "] " +
                      std::to_string(remaining) +
                      (remaining == 1 ? " session left" : " sessions left");
    if (estimate_s)
        out += ", about " + std::to_string(static_cast<long long>(std::ceil(*estimate_s))) + " s";
    return out;
}

std::string resume_command(const std::string& description) {
    return "lbxml-gen rollout --description " + shell_quote(description) + " --resume";
}

}  // namespace lbxml_gen
