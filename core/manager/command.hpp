// What a manager request asks for: the `cmd` parameter and its arguments, checked against the
// method (GET reads, only POST changes state) before anything is looked up or touched.
#pragma once

#include <string>
#include <string_view>

#include "health/http_ping.hpp"
#include "state/shared_records.hpp"

namespace zdu::manager {

enum class CommandKind {
    PingProxy,     // cmd=ping
    PingInstance,  // cmd=ping&instance=<name|route>[&cluster=]
    PingUrl,       // cmd=ping&url=http://host:port[/path]
    Status,        // cmd=status[&cluster=]
    SetDomain,     // cmd=<disable|enable|stop>-domain&domain=[&cluster=]
    SetInstance,   // cmd=<disable|enable|stop>-instance&instance=[&cluster=]
    Reload,        // cmd=reload: read ZduConfigFile and publish it to every child
    PushValidate,  // cmd=push-validate, body: a loadbalancer.xml to check (nothing changes)
    PushCommit,    // cmd=push-commit&hash=<hex>[&reset-overrides=1], body: the same xml
    // cmd=drain-<instance|domain|web-module>&<instance|domain|context-root>=&timeout=S[&cluster=]:
    // no new sessions at once (admin state disabled), then wait up to timeout for the rest.
    DrainInstance,
    DrainDomain,
    DrainWebModule,
    SetWebModule,      // cmd=<disable|enable>-web-module&context-root=[&cluster=]
    SetActiveVersion,  // cmd=set-active-version&cluster=&version= (empty: the xml decides)
    StartCanary,       // cmd=start-canary&cluster=&version=&percent=1..100
    StopCanary,        // cmd=stop-canary&cluster=
};

// The longest drain a request may wait for: the request holds one httpd thread meanwhile.
inline constexpr int kMaxDrainTimeoutSeconds = 3600;

struct Command {
    CommandKind kind = CommandKind::PingProxy;
    std::string name;                                           // the cmd value, e.g. "stop-domain"
    state::AdminState admin_state = state::AdminState::Active;  // what Set* commands set
    std::string cluster;                                        // empty: every cluster
    std::string instance;                                       // a name or a route id
    std::string domain;
    std::string url;
    health::PingTarget url_target;  // PingUrl: the parsed url
    std::string hash;               // PushCommit: the config hash push-validate answered
    bool reset_overrides = false;   // PushCommit: manager admin states back to active
    std::string context_root;       // SetWebModule, DrainWebModule
    int timeout_seconds = 0;        // Drain*: 0..kMaxDrainTimeoutSeconds
    std::string version;            // SetActiveVersion (empty: clear), StartCanary
    int percent = 0;                // StartCanary: 1..100

    bool drains() const {
        return kind == CommandKind::DrainInstance || kind == CommandKind::DrainDomain ||
               kind == CommandKind::DrainWebModule;
    }

    // Push commands carry a loadbalancer.xml in the request body.
    bool takes_body() const {
        return kind == CommandKind::PushValidate || kind == CommandKind::PushCommit;
    }

    bool changes_state() const {
        return kind != CommandKind::PingProxy && kind != CommandKind::PingInstance &&
               kind != CommandKind::PingUrl && kind != CommandKind::Status &&
               kind != CommandKind::PushValidate;
    }
};

struct ParsedCommand {
    Command command;
    int status = 200;   // 400 (not a valid command) or 405 (wrong method) on error
    std::string error;  // empty when `command` is valid
    std::string allow;  // the methods the command accepts, for the Allow header of a 405

    bool ok() const { return error.empty(); }
};

// `method` is the request method ("HEAD" counts as "GET"); `query` the raw query string.
ParsedCommand parse_command(std::string_view method, std::string_view query);

// Every command name, comma-separated, for error messages.
std::string command_names();

// "stop-domain domain=d1 cluster=c1": the command as the log shows it. Values are as the
// client sent them: httpd's error log escapes control bytes in every message.
std::string describe(const Command& c);

}  // namespace zdu::manager
