// The status of a load balancer as one view: every front-end's status JSON read into plain
// values, then merged per cluster and instance. Pure code (no network), so `lbxml-gen status`
// and `rollout` read and merge the same way and the merge is tested on its own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lbxml_gen {

// One instance as one front-end reports it. The optional numbers are fields a front-end may
// not send (older modules): nullopt prints as "-".
struct InstanceReading {
    std::string name;
    std::string version;
    std::string state;  // active, draining, drained, stopped, unhealthy
    std::string admin_state;
    int weight = 0;
    bool enabled = true;
    bool healthy = true;
    std::uint64_t live_sessions = 0;
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;  // the proxy's: connect failures, timeouts, resets
    std::uint64_t failovers = 0;
    std::uint64_t responses_5xx = 0;  // final 5xx the instance answered (0 from older modules)
    std::optional<double> avg_response_ms;
    std::optional<double> max_response_ms;
    std::optional<double> drain_estimate_s;
};

struct ClusterReading {
    std::string name;
    std::optional<std::string> active_version;  // nullopt: none takes new sessions
    std::string canary_version;                 // empty: no canary
    int canary_percent = 0;
    std::vector<InstanceReading> instances;
};

// One front-end: read (its JSON parsed) or not (why in `error`).
struct FrontEndReading {
    std::string url;
    bool read = false;
    std::string error;
    std::string config_hash;
    std::uint64_t generation = 0;
    std::vector<ClusterReading> clusters;
};

// The status JSON (manager cmd=status, or a zdu-status location's ?json) read into a
// FrontEndReading for `url`; read is false with `error` when it is not a status document.
FrontEndReading read_front_end_status(const std::string& url, std::string_view body);

// Each front-end keeps its own session table today, so an instance's live sessions are the sum
// over front-ends. With a session store shared by every front-end each would report the global
// count, and summing would count every session once per front-end: then the largest reading is
// the count.
enum class SessionCount { PerFrontEnd, Shared };

struct MergedInstance {
    std::string name;
    std::string version;
    std::string state;  // the common state, or the states seen joined by '/' ("draining/drained")
    int weight = 0;
    int front_ends = 0;  // that report it
    int unhealthy_on = 0;
    std::uint64_t live_sessions = 0;
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    std::uint64_t failovers = 0;
    std::uint64_t responses_5xx = 0;
    std::optional<double> avg_response_ms;  // weighted by each front-end's requests
    std::optional<double> max_response_ms;
    std::optional<double> drain_estimate_s;  // the longest: drained when the last one is
    // Every front-end that reports it says drained (or stopped, which has no session either).
    bool drained_everywhere = false;
};

struct MergedCluster {
    std::string name;
    std::string active_version;  // "-" for none; joined by '/' when front-ends disagree
    std::string canary;          // "2.0 at 10%", or "-"
    std::vector<MergedInstance> instances;
};

struct FrontEndLine {
    std::string url;
    bool read = false;
    std::string error;
    std::string config_hash;
    std::uint64_t generation = 0;
    bool hash_differs = false;  // not the hash most front-ends run
};

struct MergedStatus {
    std::vector<MergedCluster> clusters;
    std::vector<FrontEndLine> front_ends;
    bool mixed_hashes = false;
    bool all_read = true;
    SessionCount session_count = SessionCount::PerFrontEnd;
};

MergedStatus merge_status(const std::vector<FrontEndReading>& readings, SessionCount count);

// The instance of `cluster` named `name` in `merged`; nullptr when no front-end reports it.
const MergedInstance* find_merged(const MergedStatus& merged, std::string_view cluster,
                                  std::string_view name);

// The table for operators: per cluster a header and one line per instance, then one line per
// front-end with its config hash ("differs" flagged) or why it could not be read.
std::string format_status_table(const MergedStatus& merged);
// One JSON document with the same content.
std::string format_status_json(const MergedStatus& merged);

}  // namespace lbxml_gen
