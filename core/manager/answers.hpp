// The JSON documents the manager answers with. Each is one object that starts with "ok" and
// "command" and ends with "ms", the time the command took.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "health/http_ping.hpp"
#include "manager/admin.hpp"
#include "manager/command.hpp"
#include "manager/status.hpp"

namespace zdu::manager {

// {"ok":false,"command":..,"status":N,"error":".."}; `command` may be empty (not yet known).
std::string error_answer(std::string_view command, int status, std::string_view error,
                         std::chrono::microseconds elapsed);

// cmd=ping without a target: the proxy process that answers is alive.
std::string proxy_ping_answer(long pid, std::chrono::microseconds elapsed);

struct PingReport {
    std::string target;  // "instance" or "url"
    std::string cluster;
    std::string instance;
    std::string route;
    std::string url;  // what was pinged; empty when nothing could be
    health::PingResult result;
};

// "ok" is the health checker's verdict (a status from 100 to 500); "ms" the ping's own time.
std::string ping_answer(const PingReport& report);

std::string admin_answer(const Command& command, const std::vector<AdminChange>& changes,
                         std::chrono::microseconds elapsed);

// One instance a drain waits for, as the last sweep counted it.
struct DrainedInstance {
    std::string cluster;
    std::string instance;
    std::string route;
    std::uint64_t live = 0;
    std::uint64_t untracked = 0;
    std::uint64_t in_flight = 0;    // requests still running on it
    bool counted = false;           // a sweep counted it after the drain began
    bool sessions_unknown = false;  // seeded from a state file: the table lost its sessions

    // No session and no request left, by a count taken after the drain began.
    bool drained() const {
        return counted && !sessions_unknown && live == 0 && untracked == 0 && in_flight == 0;
    }
};

struct DrainReport {
    std::vector<DrainedInstance> instances;
    std::vector<AdminChange> changes;  // what the drain disabled
    std::string context_root;          // drain-web-module: the web-module it disabled
    std::chrono::milliseconds waited{0};
    bool stopping = false;  // httpd began to stop: the wait ended early

    bool drained() const;
    // Live and untracked sessions left on the instances, by their last counts.
    std::uint64_t remaining() const;
};

// {"ok":true,"command":"drain-instance","drained":..,"remaining":N,"timeout_s":..,
//  "waited_ms":..,"instances":[..],"ms":..}
std::string drain_answer(const Command& command, const DrainReport& report,
                         std::chrono::microseconds elapsed);

// One web-module a disable/enable-web-module command acted on.
struct WebModuleChange {
    std::string cluster;
    std::string context_root;
    state::AdminState before = state::AdminState::Active;
    state::AdminState after = state::AdminState::Active;
};

std::string web_module_answer(const Command& command, const std::vector<WebModuleChange>& changes,
                              std::chrono::microseconds elapsed);

// set-active-version, start-canary, stop-canary: the cluster's override before and after.
struct VersionChange {
    std::string cluster;
    std::string active_version;  // the override now; empty: the xml decides
    bool canary_override = false;
    std::string canary_version;
    int canary_percent = 0;
};

std::string version_answer(const Command& command, const VersionChange& change,
                           std::chrono::microseconds elapsed);

// The status document: cmd=status and SetHandler zdu-status answer this same text.
// Its top-level "overrides" lists `overrides` (write_override's objects).
std::string status_answer(const ConfigStatus& config, const std::vector<ClusterStatus>& clusters,
                          const SessionTableStatus& sessions, std::chrono::microseconds elapsed,
                          const std::vector<Override>& overrides = {});

struct ReloadReport {
    bool ok = false;
    bool changed = false;          // a new generation was published
    std::uint64_t generation = 0;  // published, or still served
    std::vector<std::string> errors;
    long pid = 0;
};

// {"ok":..,"command":"reload","generation":N,"changed":..,"errors":[..],"pid":..,"ms":..}
std::string reload_answer(const ReloadReport& report, std::chrono::microseconds elapsed);

// cmd=push-validate: {"ok":true,"command":..,"hash":"<hex64>","unchanged":..,"errors":[],
// "ms":..}, or ok false (no "unchanged") with the "LINE: message" errors of the xml (push-commit
// refuses an invalid xml with it). `unchanged`: the front-end already runs, and its file holds,
// that content, so a commit would change nothing.
std::string push_validate_answer(std::string_view command, std::uint64_t hash,
                                 const std::vector<std::string>& errors,
                                 std::chrono::microseconds elapsed, bool unchanged = false);

struct PushCommitReport {
    std::uint64_t generation = 0;  // now served by the child that answers
    std::uint64_t hash = 0;
    bool changed = false;             // false: that content was already published
    bool unchanged = false;           // the file already held it too: neither written nor published
    std::vector<Override> overrides;  // standing after the commit
    bool reset = false;               // reset-overrides=1 was asked
    std::vector<Override> cleared;    // what the reset set back to active
    long pid = 0;
};

// {"ok":true,"command":"push-commit","generation":N,"hash":..,"changed":..,"unchanged":..,
//  "overrides":[..],
//  "reset":..,"cleared":[..],"pid":..,"ms":..}
std::string push_commit_answer(const PushCommitReport& report, std::chrono::microseconds elapsed);

// "2026-12-01T09:30:00.123Z"
std::string utc_time(std::int64_t ms);
// 16 lower-case hex digits.
std::string hex64(std::uint64_t value);

}  // namespace zdu::manager
