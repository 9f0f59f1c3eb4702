// A snapshot of every cluster and instance for cmd=status: config, manager state, health and
// counters, read from the shared records (the glue adds what only mod_proxy knows).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "lifecycle/drain.hpp"
#include "state/shared_records.hpp"

namespace zdu::manager {

struct InstanceStatus {
    std::string name;
    std::string route;
    std::string domain;
    std::string version;
    std::string url;  // the listener requests go to
    int weight = 0;
    bool enabled = true;  // in the config
    state::AdminState admin_state = state::AdminState::Active;
    std::int64_t unhealthy_since_ms = 0;  // 0: healthy
    std::uint32_t last_error = 0;         // a state::Failure
    std::uint32_t failures_in_a_row = 0;  // of live traffic, for passive detection
    std::uint64_t requests = 0;
    std::uint64_t new_sessions = 0;
    std::uint64_t failures = 0;
    std::uint64_t failovers = 0;
    std::uint64_t retries = 0;
    std::uint64_t responses_5xx = 0;  // final 5xx the instance answered (the application's)
    // From mod_proxy's worker: requests in flight and whether it is out of its error state.
    std::uint64_t busy = 0;
    bool worker_usable = false;
    bool removed = false;  // removed from the file by a reload, kept disabled
    // The upgrade lifecycle (the glue decides `state` with the sweep's facts).
    lifecycle::Reported state = lifecycle::Reported::Active;
    std::uint64_t live_sessions = 0;  // the last sweep's counts
    std::uint64_t untracked_sessions = 0;
    std::uint64_t drain_created = 0;     // sessions created while it was draining
    std::uint64_t sessions_ended = 0;    // by logout signals
    std::uint64_t sessions_expired = 0;  // idled out
    std::uint64_t long_lived = 0;        // WebSocket / server-sent events in flight
    std::int64_t draining_since_ms = 0;  // 0: not draining (nor drained)
    std::int64_t drained_since_ms = 0;   // 0: not drained
    // Client requests answered through it, their summed and longest time (request start to end).
    std::uint64_t answered = 0;
    std::uint64_t answer_total_us = 0;
    std::uint64_t answer_max_us = 0;
    std::uint64_t answer_min_us = 0;   // 0: none answered
    std::uint64_t end_rate_micro = 0;  // sessions ended + expired per second, in millionths
};

// A web-module (GlassFish's "application") of a cluster: its own counts, every instance summed.
struct WebModuleStatus {
    std::string context_root;
    bool enabled = true;  // in the config
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;   // answered with a failure (5xx, or no instance could take it)
    std::uint64_t failovers = 0;  // moved off the instance its session was on
    std::uint64_t answered = 0;
    std::uint64_t answer_total_us = 0;
    std::uint64_t answer_max_us = 0;
    std::uint64_t answer_min_us = 0;  // 0: none answered
};

struct ClusterStatus {
    std::string name;
    std::string policy;
    std::vector<InstanceStatus> instances;
    std::vector<WebModuleStatus> web_modules;
    // Worker slots of its balancer: taken, of how many (the rest is the growth reserve).
    int workers_used = 0;
    int workers_total = 0;
    std::uint64_t generation = 0;  // of the config this cluster is served from
    std::string active_version;    // where new sessions go; empty: none takes them
    bool has_active_version = false;
    std::string canary_version;  // with canary_percent > 0: the canary is on
    int canary_percent = 0;
    std::uint64_t stale_sessions = 0;    // sessions that met a retired instance
    std::uint64_t session_overflow = 0;  // sessions not stored: the table was full
};

// The shared session table of the whole server.
struct SessionTableStatus {
    std::uint64_t capacity = 0;  // entries
    std::uint64_t used = 0;      // entries in use at the last sweep
    std::uint64_t bytes = 0;
    std::uint64_t overflow = 0;
    std::uint64_t evicted = 0;
};

// An admin state set through the manager (kept in the state file, so it survives restarts):
// the xml says what an instance should do, an override says what an operator made it do
// since. A push reports them rather than undoing them unasked.
struct Override {
    std::string cluster;
    std::string instance;
    state::AdminState admin_state = state::AdminState::Disabled;  // never Active
    std::string origin = "manager";
    std::int64_t since_ms = 0;  // when the manager set it
    // What it overrides: "instance" (admin_state above), "web-module" (context_root's
    // admin_state), "active-version" (version; empty: unknown to this config) or "canary"
    // (version at percent; 0: the canary stopped).
    std::string kind = "instance";
    std::string context_root{};
    std::string version{};
    int percent = 0;
};

// Which config the answering child runs, and how the last reload attempt went.
struct ConfigStatus {
    long pid = 0;                   // the child that answered
    std::uint64_t generation = 0;   // the one this child serves
    std::uint64_t published = 0;    // the newest in shared memory
    std::int64_t loaded_at_ms = 0;  // when the served one was published
    std::uint64_t hash = 0;         // of its file's bytes
    std::string file;
    bool last_ok = true;
    std::uint64_t last_generation = 0;  // published by, or still served after, the last attempt
    std::int64_t last_at_ms = 0;
    std::vector<std::string> last_errors;
    int spare_clusters_used = 0;
    int spare_clusters_total = 0;
};

// One read of everything the status answers with; the JSON, the page and the metrics are all
// rendered from it, so they never disagree.
struct StatusData {
    ConfigStatus config;
    std::vector<ClusterStatus> clusters;
    SessionTableStatus sessions;
    std::vector<Override> overrides;
};

// Everything the config and the shared record say about one instance (`state` aside).
InstanceStatus read_status(const config::Instance& instance, const std::string& route,
                           const state::SharedRecord& record);
WebModuleStatus read_web_module_status(const config::WebModule& web_module,
                                       const state::SharedRecord& record);

// The mean time of the requests it answered, 0 with none.
std::uint64_t average_answer_us(const InstanceStatus& s);
// Seconds until a draining instance has no session left at its recent session-end rate; none
// when it is not draining or no session ended lately.
std::optional<std::uint64_t> drain_estimate_s(const InstanceStatus& s);

}  // namespace zdu::manager
