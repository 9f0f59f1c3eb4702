#include "manager/command.hpp"

#include <array>

#include "config/text.hpp"
#include "manager/query.hpp"
#include "routing/version.hpp"

namespace zdu::manager {
namespace {

using config::quoted;

using state::AdminState;

struct Spec {
    std::string_view name;
    CommandKind kind;
    AdminState admin_state;
    std::array<std::string_view, 3> params;    // besides cmd; empty entries unused
    std::array<std::string_view, 3> required;  // empty entries unused
    std::string_view may_be_empty = {};        // the one parameter an empty value means something
};

using K = CommandKind;
using S = AdminState;
constexpr std::array<std::string_view, 3> kPingArgs{"instance", "cluster", "url"};
constexpr std::array<std::string_view, 3> kDomainArgs{"domain", "cluster"};
constexpr std::array<std::string_view, 3> kInstanceArgs{"instance", "cluster"};
constexpr std::array<std::string_view, 3> kWebModuleArgs{"context-root", "cluster"};
constexpr std::array<std::string_view, 3> kCommitArgs{"hash", "reset-overrides"};
constexpr std::array<std::string_view, 3> kDrainInstanceArgs{"instance", "timeout", "cluster"};
constexpr std::array<std::string_view, 3> kDrainDomainArgs{"domain", "timeout", "cluster"};
constexpr std::array<std::string_view, 3> kDrainModuleArgs{"context-root", "timeout", "cluster"};
constexpr std::array<std::string_view, 3> kVersionArgs{"cluster", "version"};
constexpr std::array<std::string_view, 3> kCanaryArgs{"cluster", "version", "percent"};

constexpr std::array<Spec, 19> kSpecs{{
    {"ping", K::PingProxy, S::Active, kPingArgs, {}},
    {"status", K::Status, S::Active, {"cluster"}, {}},
    {"disable-domain", K::SetDomain, S::Disabled, kDomainArgs, {"domain"}},
    {"enable-domain", K::SetDomain, S::Active, kDomainArgs, {"domain"}},
    {"stop-domain", K::SetDomain, S::Stopped, kDomainArgs, {"domain"}},
    {"disable-instance", K::SetInstance, S::Disabled, kInstanceArgs, {"instance"}},
    {"enable-instance", K::SetInstance, S::Active, kInstanceArgs, {"instance"}},
    {"stop-instance", K::SetInstance, S::Stopped, kInstanceArgs, {"instance"}},
    {"drain-instance", K::DrainInstance, S::Disabled, kDrainInstanceArgs, {"instance", "timeout"}},
    {"drain-domain", K::DrainDomain, S::Disabled, kDrainDomainArgs, {"domain", "timeout"}},
    {"drain-web-module",
     K::DrainWebModule,
     S::Disabled,
     kDrainModuleArgs,
     {"context-root", "timeout"}},
    {"disable-web-module", K::SetWebModule, S::Disabled, kWebModuleArgs, {"context-root"}},
    {"enable-web-module", K::SetWebModule, S::Active, kWebModuleArgs, {"context-root"}},
    {"set-active-version",
     K::SetActiveVersion,
     S::Active,
     kVersionArgs,
     {"cluster", "version"},
     "version"},
    {"start-canary", K::StartCanary, S::Active, kCanaryArgs, {"cluster", "version", "percent"}},
    {"stop-canary", K::StopCanary, S::Active, {"cluster"}, {"cluster"}},
    {"reload", K::Reload, S::Active, {}, {}},
    {"push-validate", K::PushValidate, S::Active, {}, {}},
    {"push-commit", K::PushCommit, S::Active, kCommitArgs, {"hash"}},
}};

const Spec* find_spec(std::string_view name) {
    for (const auto& s : kSpecs) {
        if (s.name == name) return &s;
    }
    return nullptr;
}

bool accepts(const Spec& spec, std::string_view param) {
    if (param == "cmd") return true;
    for (auto p : spec.params) {
        if (!p.empty() && p == param) return true;
    }
    return false;
}

ParsedCommand failure(int status, std::string error) {
    ParsedCommand p;
    p.status = status;
    p.error = std::move(error);
    return p;
}

// Read-only commands take GET (and HEAD) or POST; changes take POST only, so a link, a
// prefetch or a crawler can never change state.
std::string method_error(const Spec& spec, std::string_view method, std::string& allow) {
    // push-validate changes nothing, but its xml comes as a body: POST only as well.
    bool changes = spec.kind != CommandKind::PingProxy && spec.kind != CommandKind::Status;
    allow = changes ? "POST" : "GET, HEAD, POST";
    if (method == "POST") return {};
    if (!changes && (method == "GET" || method == "HEAD")) return {};
    return "cmd=" + std::string(spec.name) + " does not take " + std::string(method) + "; use " +
           (changes ? "POST" : "GET or POST");
}

std::string params_error(const Spec& spec, const Query& q) {
    for (const auto& p : q.params) {
        if (!accepts(spec, p.name)) {
            return "cmd=" + std::string(spec.name) + " takes no parameter " + quoted(p.name);
        }
        if (p.value.empty() && p.name != spec.may_be_empty) {
            return "parameter " + quoted(p.name) + " is empty";
        }
    }
    for (auto r : spec.required) {
        if (!r.empty() && !q.find(r)) {
            return "cmd=" + std::string(spec.name) + " needs " + std::string(r) + "=";
        }
    }
    return {};
}

std::string value_of(const Query& q, std::string_view name) {
    const std::string* v = q.find(name);
    return v ? *v : std::string();
}

// ping targets the proxy, an instance or a URL: never two at once.
std::string choose_ping_target(Command& c) {
    if (!c.url.empty()) {
        if (!c.instance.empty() || !c.cluster.empty()) {
            return "cmd=ping takes url= or instance= (with cluster=), not both";
        }
        if (!health::parse_ping_url(c.url, c.url_target)) {
            return "url " + quoted(c.url) +
                   " is not http://host:port[/path] (only http:// "
                   "URLs can be pinged)";
        }
        // The resolver wants an IPv6 literal without its URL brackets.
        std::string& host = c.url_target.host;
        if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
            host = host.substr(1, host.size() - 2);
        }
        c.kind = CommandKind::PingUrl;
    } else if (!c.instance.empty()) {
        c.kind = CommandKind::PingInstance;
    } else if (!c.cluster.empty()) {
        return "cmd=ping with cluster= needs instance=";
    }
    return {};
}

// The hash is hex64's text: 16 hex digits, compared lower-case.
std::string choose_commit_args(Command& c, const Query& q) {
    c.hash = value_of(q, "hash");
    bool hex = c.hash.size() == 16;
    for (char& ch : c.hash) {
        if (ch >= 'A' && ch <= 'F') ch = static_cast<char>(ch - 'A' + 'a');
        hex = hex && ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'));
    }
    if (!hex) return "hash " + quoted(value_of(q, "hash")) + " is not 16 hex digits";
    std::string reset = value_of(q, "reset-overrides");
    if (!reset.empty() && reset != "0" && reset != "1") {
        return "reset-overrides " + quoted(reset) + " is not 0 or 1";
    }
    c.reset_overrides = reset == "1";
    return {};
}

// A whole number from `min` to `max`, digits only: "10s", "1e3", "-1" and "0x10" are refused
// rather than read as something else.
bool whole_number(std::string_view text, int min, int max, int& out) {
    if (text.empty() || text.size() > 9) return false;
    int v = 0;
    for (char ch : text) {
        if (ch < '0' || ch > '9') return false;
        v = v * 10 + (ch - '0');
    }
    if (v < min || v > max) return false;
    out = v;
    return true;
}

std::string choose_drain_args(Command& c, const Query& q) {
    const std::string t = value_of(q, "timeout");
    if (!whole_number(t, 0, kMaxDrainTimeoutSeconds, c.timeout_seconds)) {
        return "timeout " + quoted(t) + " is not a whole number of seconds from 0 to " +
               std::to_string(kMaxDrainTimeoutSeconds);
    }
    return {};
}

std::string choose_version_args(Command& c, const Query& q) {
    c.version = value_of(q, "version");
    // An empty version clears set-active-version's override; start-canary needs one.
    if (!(c.version.empty() && c.kind == CommandKind::SetActiveVersion) &&
        !routing::valid_version(c.version)) {
        return "version " + quoted(c.version) + " is not [A-Za-z0-9._-]{1,64}";
    }
    if (c.kind == CommandKind::StartCanary) {
        const std::string p = value_of(q, "percent");
        if (!whole_number(p, 1, 100, c.percent)) {
            return "percent " + quoted(p) + " is not a whole number from 1 to 100";
        }
    }
    return {};
}

std::string choose_args(Command& c, const Query& q) {
    switch (c.kind) {
        case CommandKind::PingProxy:
            return choose_ping_target(c);
        case CommandKind::PushCommit:
            return choose_commit_args(c, q);
        case CommandKind::DrainInstance:
        case CommandKind::DrainDomain:
        case CommandKind::DrainWebModule:
            return choose_drain_args(c, q);
        case CommandKind::SetActiveVersion:
        case CommandKind::StartCanary:
            return choose_version_args(c, q);
        default:
            return {};
    }
}

}  // namespace

ParsedCommand parse_command(std::string_view method, std::string_view query) {
    Query q = parse_query(query);
    if (!q.ok()) return failure(400, q.error);
    const std::string* name = q.find("cmd");
    if (!name) return failure(400, "missing cmd=; commands: " + command_names());
    const Spec* spec = find_spec(*name);
    if (!spec)
        return failure(400, "unknown command " + quoted(*name) + "; commands: " + command_names());
    ParsedCommand parsed;
    parsed.command.name = std::string(spec->name);
    if (std::string e = method_error(*spec, method, parsed.allow); !e.empty()) {
        parsed.status = 405;
        parsed.error = std::move(e);
        return parsed;
    }
    if (std::string e = params_error(*spec, q); !e.empty()) return failure(400, std::move(e));
    Command& c = parsed.command;
    c.kind = spec->kind;
    c.admin_state = spec->admin_state;
    c.cluster = value_of(q, "cluster");
    c.instance = value_of(q, "instance");
    c.domain = value_of(q, "domain");
    c.url = value_of(q, "url");
    c.context_root = value_of(q, "context-root");
    if (std::string e = choose_args(c, q); !e.empty()) return failure(400, std::move(e));
    return parsed;
}

std::string command_names() {
    std::string names;
    for (const auto& s : kSpecs) {
        if (!names.empty()) names += ", ";
        names += s.name;
    }
    return names;
}

std::string describe(const Command& c) {
    std::string text = c.name;
    auto add = [&](std::string_view name, const std::string& value) {
        if (!value.empty()) text += " " + std::string(name) + "=" + value;
    };
    add("instance", c.instance);
    add("domain", c.domain);
    add("cluster", c.cluster);
    add("context-root", c.context_root);
    add("url", c.url);
    add("hash", c.hash);
    if (c.drains()) text += " timeout=" + std::to_string(c.timeout_seconds);
    if (c.kind == CommandKind::SetActiveVersion || c.kind == CommandKind::StartCanary) {
        text += " version=" + c.version;
    }
    if (c.kind == CommandKind::StartCanary) text += " percent=" + std::to_string(c.percent);
    if (c.reset_overrides) text += " reset-overrides=1";
    return text;
}

}  // namespace zdu::manager
