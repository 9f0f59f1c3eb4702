// Two-phase push of a loadbalancer.xml to every front-end of a load balancer: first every
// front-end validates the bytes (nothing changes anywhere), then, only if all accepted them,
// every front-end commits. A front-end that refuses or cannot be reached in the first phase
// keeps every front-end on its current config, so none runs a config another one refused.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http_client.hpp"

namespace lbxml_gen {

// An admin state set through a front-end's manager; the xml does not undo it unless asked.
struct Override {
    std::string cluster;
    std::string instance;
    std::string admin_state;
    std::string origin;
    std::int64_t since_ms = 0;
    // "instance", "web-module", "active-version" or "canary" (the status's "kind"; absent from a
    // front-end that predates it: an instance).
    std::string kind = "instance";
    std::string context_root{};
    std::string version{};
    int percent = 0;
};

// One line for an operator: what the override holds, e.g. "c1 canary 2.0 at 10%".
std::string describe(const Override& o);

// Just enough JSON to read the manager's answers: objects, arrays, strings, numbers, literals.
// Exported so the status and rollout commands read the same answers the same way.
struct Json {
    enum class Type { Null, Bool, Number, String, Array, Object } type = Type::Null;
    bool boolean = false;
    double number = 0;
    std::string text;
    std::vector<Json> items;
    std::map<std::string, Json> members;

    const Json* get(const std::string& key) const {
        if (type != Type::Object) return nullptr;
        auto it = members.find(key);
        return it == members.end() ? nullptr : &it->second;
    }
    std::string str(const std::string& key) const {
        const Json* v = get(key);
        return v && v->type == Type::String ? v->text : std::string();
    }
};

// Parses one JSON document (nothing but white space after it); false when it is not one.
bool parse_json(std::string_view text, Json& out);

enum class Outcome {
    Applied,
    Unchanged,    // already runs this content (footer date aside): not committed, not reloaded
    Refused,      // answered, but said no (why in `reasons`)
    Unreachable,  // no HTTP answer
    Unknown,      // the commit was sent and no answer came: it may or may not have applied it
    NotPushed,    // reachable and willing, held back because another front-end was not
};

std::string_view outcome_name(Outcome o);

struct FrontEndReport {
    std::string url;
    Outcome outcome = Outcome::NotPushed;
    std::string detail;  // shown with the outcome, e.g. "hash mismatch"
    std::string phase;   // where it ended: "ping", "validate" or "commit"
    long status = 0;     // HTTP status of the last answer (0: none)
    std::vector<std::string> reasons;
    std::string hash;
    bool unchanged = false;  // push-validate said it already runs this content
    std::int64_t generation = 0;
    bool reset = false;
    std::vector<Override> overrides;
};

struct ApplyOptions {
    bool ping = false;             // first check every front-end's manager answers cmd=ping
    bool reset_overrides = false;  // have the xml decide again over manager-set admin states
};

struct ApplyReport {
    std::vector<FrontEndReport> front_ends;
    bool committed = false;  // phase 2 ran (on the front-ends that needed it)
    // Every front-end runs the xml now: applied, or unchanged because it already did.
    bool all_applied() const;
};

// `manager_url` with `query` ("cmd=...") added after '?' or '&' as the URL already needs.
std::string command_url(const std::string& manager_url, std::string_view query);

// Lower-case hex of the hash the module shows as config_hash for these bytes: their content
// hash (core/config/content_hash.hpp), the generated-on footer left out.
std::string config_hash_hex(std::string_view xml);

ApplyReport apply(const std::string& xml, const std::vector<std::string>& urls,
                  const std::string& secret, const ApplyOptions& options, Transport& transport);

// The report for operators: one block per front-end, then the overrides each reports.
std::string format_report(const ApplyReport& report);

}  // namespace lbxml_gen
