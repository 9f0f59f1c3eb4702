#include "manager/answers.hpp"

#include <cstdio>
#include <ctime>

#include "manager/json_writer.hpp"
#include "state/instance_health.hpp"

namespace zdu::manager {
namespace {

// Empty text as null, so clients test one thing for "none".
void optional_field(JsonWriter& w, std::string_view key, std::string_view value) {
    w.key(key);
    if (value.empty()) {
        w.null();
    } else {
        w.str(value);
    }
}

void begin(JsonWriter& w, bool ok, std::string_view command) {
    w.begin_object().field("ok", ok);
    optional_field(w, "command", command);
}

std::string finish(JsonWriter& w, std::chrono::microseconds elapsed) {
    w.field("ms", elapsed).end_object();
    return w.text();
}

void write_change(JsonWriter& w, const AdminChange& c) {
    w.begin_object()
        .field("cluster", c.cluster)
        .field("instance", c.instance)
        .field("route", c.route);
    optional_field(w, "domain", c.domain);
    w.field("previous", admin_state_name(c.before))
        .field("admin_state", admin_state_name(c.after))
        .field("changed", c.changed())
        .end_object();
}

// An instance override is written as before "kind" existed, "kind" last, so a reader that knows
// only instance overrides reads them unchanged.
void write_override(JsonWriter& w, const Override& o) {
    w.begin_object().field("cluster", o.cluster);
    if (o.kind == "instance") {
        w.field("instance", o.instance).field("admin_state", admin_state_name(o.admin_state));
    } else if (o.kind == "web-module") {
        w.field("context_root", o.context_root)
            .field("admin_state", admin_state_name(o.admin_state));
    } else if (o.kind == "active-version") {
        w.field("version", o.version);
    } else {
        w.field("version", o.version).field("percent", o.percent);
    }
    w.field("origin", o.origin).field("since_ms", o.since_ms).field("kind", o.kind).end_object();
}

void write_overrides(JsonWriter& w, std::string_view key, const std::vector<Override>& all) {
    w.key(key).begin_array();
    for (const auto& o : all) write_override(w, o);
    w.end_array();
}

void write_counters(JsonWriter& w, const InstanceStatus& s) {
    w.key("counters")
        .begin_object()
        .field("requests", s.requests)
        .field("new_sessions", s.new_sessions)
        .field("failures", s.failures)
        .field("failovers", s.failovers)
        .field("retries", s.retries)
        .field("responses_5xx", s.responses_5xx)
        .end_object();
}

void write_health(JsonWriter& w, const InstanceStatus& s) {
    w.field("healthy", s.unhealthy_since_ms == 0).key("unhealthy_since_ms");
    if (s.unhealthy_since_ms == 0) {
        w.null();
    } else {
        w.number(s.unhealthy_since_ms);
    }
    auto failure = static_cast<state::Failure>(s.last_error);
    optional_field(w, "last_error",
                   failure == state::Failure::None ? "" : state::failure_name(failure));
    w.field("failures_in_a_row", s.failures_in_a_row);
}

// A time in ms since the epoch, or null for "not yet".
void optional_ms(JsonWriter& w, std::string_view key, std::int64_t ms) {
    w.key(key);
    if (ms == 0) {
        w.null();
    } else {
        w.number(ms);
    }
}

void write_lifecycle(JsonWriter& w, const InstanceStatus& s) {
    w.field("state", lifecycle::reported_name(s.state))
        .field("live_sessions", s.live_sessions)
        .field("untracked_sessions", s.untracked_sessions)
        .field("sessions_created_while_draining", s.drain_created)
        .field("sessions_ended", s.sessions_ended)
        .field("sessions_expired", s.sessions_expired)
        .field("long_lived", s.long_lived);
    optional_ms(w, "draining_since_ms", s.draining_since_ms);
    optional_ms(w, "drained_since_ms", s.drained_since_ms);
    w.key("drain_estimate_s");
    if (auto estimate = drain_estimate_s(s)) {
        w.number(*estimate);
    } else {
        w.null();
    }
}

// Of the client requests it answered, from their start to their end.
void write_response_times(JsonWriter& w, const InstanceStatus& s) {
    using std::chrono::microseconds;
    w.field("avg_response_ms", microseconds(average_answer_us(s)))
        .field("max_response_ms", microseconds(s.answer_max_us));
}

void write_instance(JsonWriter& w, const InstanceStatus& s) {
    w.begin_object().field("name", s.name).field("route", s.route);
    optional_field(w, "domain", s.domain);
    optional_field(w, "version", s.version);
    optional_field(w, "url", s.url);
    w.field("weight", s.weight)
        .field("enabled", s.enabled)
        .field("admin_state", admin_state_name(s.admin_state));
    write_health(w, s);
    w.field("worker_usable", s.worker_usable).field("busy", s.busy).field("removed", s.removed);
    write_lifecycle(w, s);
    write_response_times(w, s);
    write_counters(w, s);
    w.end_object();
}

void write_cluster(JsonWriter& w, const ClusterStatus& c) {
    w.begin_object().field("name", c.name).field("policy", c.policy);
    w.key("workers")
        .begin_object()
        .field("used", c.workers_used)
        .field("total", c.workers_total)
        .end_object();
    w.field("generation", c.generation).key("active_version");
    if (c.has_active_version) {
        w.str(c.active_version);
    } else {
        w.null();
    }
    w.key("canary");
    if (c.canary_percent > 0 && !c.canary_version.empty()) {
        w.begin_object()
            .field("version", c.canary_version)
            .field("percent", c.canary_percent)
            .end_object();
    } else {
        w.null();
    }
    w.field("stale_sessions", c.stale_sessions).field("session_overflow", c.session_overflow);
    w.key("instances");
    w.begin_array();
    for (const auto& s : c.instances) write_instance(w, s);
    w.end_array().end_object();
}

}  // namespace

std::string error_answer(std::string_view command, int status, std::string_view error,
                         std::chrono::microseconds elapsed) {
    JsonWriter w;
    begin(w, false, command);
    w.field("status", status).field("error", error);
    return finish(w, elapsed);
}

std::string proxy_ping_answer(long pid, std::chrono::microseconds elapsed) {
    JsonWriter w;
    begin(w, true, "ping");
    w.field("target", "proxy").field("pid", pid);
    return finish(w, elapsed);
}

std::string ping_answer(const PingReport& report) {
    JsonWriter w;
    begin(w, report.result.healthy(), "ping");
    w.field("target", report.target);
    if (report.target == "instance") {
        w.field("cluster", report.cluster)
            .field("instance", report.instance)
            .field("route", report.route);
    }
    optional_field(w, "url", report.url);
    w.field("status", report.result.status);
    optional_field(w, "error", report.result.error);
    return finish(w, report.result.elapsed);
}

std::string admin_answer(const Command& command, const std::vector<AdminChange>& changes,
                         std::chrono::microseconds elapsed) {
    JsonWriter w;
    begin(w, true, command.name);
    if (command.kind == CommandKind::SetDomain) w.field("domain", command.domain);
    optional_field(w, "cluster", command.cluster);
    w.field("admin_state", admin_state_name(command.admin_state));
    int changed = 0;
    for (const auto& c : changes) changed += c.changed() ? 1 : 0;
    w.field("changed", changed).key("instances").begin_array();
    for (const auto& c : changes) write_change(w, c);
    w.end_array();
    return finish(w, elapsed);
}

bool DrainReport::drained() const {
    for (const auto& i : instances) {
        if (!i.drained()) return false;
    }
    return !stopping;
}

std::uint64_t DrainReport::remaining() const {
    std::uint64_t n = 0;
    for (const auto& i : instances) n += i.live + i.untracked;
    return n;
}

std::string drain_answer(const Command& command, const DrainReport& report,
                         std::chrono::microseconds elapsed) {
    JsonWriter w;
    begin(w, true, command.name);
    optional_field(w, "instance", command.instance);
    optional_field(w, "domain", command.domain);
    optional_field(w, "context_root", command.context_root);
    optional_field(w, "cluster", command.cluster);
    w.field("drained", report.drained())
        .field("remaining", report.remaining())
        .field("timeout_s", command.timeout_seconds)
        .field("waited_ms", static_cast<std::int64_t>(report.waited.count()));
    if (report.stopping) w.field("stopping", true);
    w.key("instances").begin_array();
    for (const auto& i : report.instances) {
        w.begin_object()
            .field("cluster", i.cluster)
            .field("instance", i.instance)
            .field("route", i.route)
            .field("drained", i.drained())
            .field("live_sessions", i.live)
            .field("untracked_sessions", i.untracked)
            .field("requests_in_flight", i.in_flight)
            .field("counted", i.counted)
            .field("sessions_unknown", i.sessions_unknown)
            .end_object();
    }
    w.end_array();
    w.key("changes").begin_array();
    for (const auto& c : report.changes) write_change(w, c);
    w.end_array();
    return finish(w, elapsed);
}

std::string web_module_answer(const Command& command, const std::vector<WebModuleChange>& changes,
                              std::chrono::microseconds elapsed) {
    JsonWriter w;
    begin(w, true, command.name);
    w.field("context_root", command.context_root);
    optional_field(w, "cluster", command.cluster);
    w.field("admin_state", admin_state_name(command.admin_state));
    int changed = 0;
    for (const auto& c : changes) changed += c.before != c.after ? 1 : 0;
    w.field("changed", changed).key("web_modules").begin_array();
    for (const auto& c : changes) {
        w.begin_object()
            .field("cluster", c.cluster)
            .field("context_root", c.context_root)
            .field("before", admin_state_name(c.before))
            .field("after", admin_state_name(c.after))
            .field("changed", c.before != c.after)
            .end_object();
    }
    w.end_array();
    return finish(w, elapsed);
}

std::string version_answer(const Command& command, const VersionChange& change,
                           std::chrono::microseconds elapsed) {
    JsonWriter w;
    begin(w, true, command.name);
    w.field("cluster", change.cluster);
    w.key("active_version_override");
    if (change.active_version.empty()) {
        w.null();
    } else {
        w.str(change.active_version);
    }
    w.key("canary_override");
    if (!change.canary_override) {
        w.null();
    } else {
        w.begin_object()
            .field("version", change.canary_version)
            .field("percent", change.canary_percent)
            .end_object();
    }
    return finish(w, elapsed);
}

namespace {

void write_errors(JsonWriter& w, const std::vector<std::string>& errors) {
    w.key("errors").begin_array();
    for (const auto& e : errors) w.str(e);
    w.end_array();
}

void write_config(JsonWriter& w, const ConfigStatus& c) {
    w.field("pid", c.pid)
        .field("generation", c.generation)
        .field("published_generation", c.published)
        .field("loaded_at", utc_time(c.loaded_at_ms))
        .field("loaded_at_ms", c.loaded_at_ms)
        .field("config_hash", hex64(c.hash));
    optional_field(w, "config_file", c.file);
    w.key("last_reload")
        .begin_object()
        .field("ok", c.last_ok)
        .field("generation", c.last_generation);
    w.field("at", utc_time(c.last_at_ms));
    write_errors(w, c.last_errors);
    w.end_object();
    w.key("spare_clusters")
        .begin_object()
        .field("used", c.spare_clusters_used)
        .field("total", c.spare_clusters_total)
        .end_object();
}

}  // namespace

std::string utc_time(std::int64_t ms) {
    std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char text[96];  // room for any int the compiler cannot rule out
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms % 1000));
    return text;
}

std::string hex64(std::uint64_t value) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(value));
    return text;
}

std::string reload_answer(const ReloadReport& report, std::chrono::microseconds elapsed) {
    JsonWriter w;
    begin(w, report.ok, "reload");
    w.field("generation", report.generation).field("changed", report.changed);
    write_errors(w, report.errors);
    w.field("pid", report.pid);
    return finish(w, elapsed);
}

std::string push_validate_answer(std::string_view command, std::uint64_t hash,
                                 const std::vector<std::string>& errors,
                                 std::chrono::microseconds elapsed, bool unchanged) {
    JsonWriter w;
    begin(w, errors.empty(), command);
    w.field("hash", hex64(hash));
    if (errors.empty()) w.field("unchanged", unchanged);
    write_errors(w, errors);
    return finish(w, elapsed);
}

std::string push_commit_answer(const PushCommitReport& report, std::chrono::microseconds elapsed) {
    JsonWriter w;
    begin(w, true, "push-commit");
    w.field("generation", report.generation)
        .field("hash", hex64(report.hash))
        .field("changed", report.changed)
        .field("unchanged", report.unchanged);
    write_overrides(w, "overrides", report.overrides);
    w.field("reset", report.reset);
    write_overrides(w, "cleared", report.cleared);
    w.field("pid", report.pid);
    return finish(w, elapsed);
}

std::string status_answer(const ConfigStatus& config, const std::vector<ClusterStatus>& clusters,
                          const SessionTableStatus& sessions, std::chrono::microseconds elapsed,
                          const std::vector<Override>& overrides) {
    JsonWriter w;
    begin(w, true, "status");
    write_config(w, config);
    write_overrides(w, "overrides", overrides);
    w.key("session_table")
        .begin_object()
        .field("capacity", sessions.capacity)
        .field("used", sessions.used)
        .field("bytes", sessions.bytes)
        .field("overflow", sessions.overflow)
        .field("evicted", sessions.evicted)
        .end_object();
    w.key("clusters").begin_array();
    for (const auto& c : clusters) write_cluster(w, c);
    w.end_array();
    return finish(w, elapsed);
}

}  // namespace zdu::manager
