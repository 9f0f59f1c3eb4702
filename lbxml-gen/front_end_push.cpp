#include "front_end_push.hpp"

#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>

#include "config/content_hash.hpp"
#include "manager/answers.hpp"

namespace lbxml_gen {
namespace {

class JsonParser {
  public:
    explicit JsonParser(std::string_view text) : s_(text) {}

    bool parse(Json& out) {
        if (!value(out, 0)) return false;
        skip();
        return pos_ == s_.size();
    }

  private:
    // Deep nesting in an answer is not something the manager writes; stop before the stack.
    static constexpr int kMaxDepth = 32;

    void skip() {
        while (pos_ < s_.size() &&
               (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t'))
            ++pos_;
    }
    bool literal(std::string_view word) {
        if (s_.substr(pos_, word.size()) != word) return false;
        pos_ += word.size();
        return true;
    }
    static void append_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }
    bool hex4(unsigned& cp) {
        if (pos_ + 4 > s_.size()) return false;
        cp = 0;
        for (int i = 0; i < 4; ++i) {
            char c = s_[pos_++];
            cp <<= 4;
            if (c >= '0' && c <= '9')
                cp |= c - '0';
            else if (c >= 'a' && c <= 'f')
                cp |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                cp |= c - 'A' + 10;
            else
                return false;
        }
        return true;
    }
    bool string(std::string& out) {
        if (pos_ >= s_.size() || s_[pos_] != '"') return false;
        ++pos_;
        while (pos_ < s_.size()) {
            char c = s_[pos_++];
            if (c == '"') return true;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= s_.size()) return false;
            char e = s_[pos_++];
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    unsigned cp;
                    if (!hex4(cp)) return false;
                    if (cp >= 0xD800 && cp < 0xDC00 && literal("\\u")) {
                        unsigned low;
                        if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    append_utf8(out, cp);
                    break;
                }
                default:
                    return false;
            }
        }
        return false;
    }
    bool value(Json& out, int depth) {
        if (depth > kMaxDepth) return false;
        skip();
        if (pos_ >= s_.size()) return false;
        char c = s_[pos_];
        if (c == '{') {
            out.type = Json::Type::Object;
            ++pos_;
            skip();
            if (pos_ < s_.size() && s_[pos_] == '}') return ++pos_, true;
            for (;;) {
                skip();
                std::string key;
                if (!string(key)) return false;
                skip();
                if (pos_ >= s_.size() || s_[pos_++] != ':') return false;
                if (!value(out.members[key], depth + 1)) return false;
                skip();
                if (pos_ >= s_.size()) return false;
                if (s_[pos_] == ',') {
                    ++pos_;
                    continue;
                }
                return s_[pos_++] == '}';
            }
        }
        if (c == '[') {
            out.type = Json::Type::Array;
            ++pos_;
            skip();
            if (pos_ < s_.size() && s_[pos_] == ']') return ++pos_, true;
            for (;;) {
                out.items.emplace_back();
                if (!value(out.items.back(), depth + 1)) return false;
                skip();
                if (pos_ >= s_.size()) return false;
                if (s_[pos_] == ',') {
                    ++pos_;
                    continue;
                }
                return s_[pos_++] == ']';
            }
        }
        if (c == '"') {
            out.type = Json::Type::String;
            return string(out.text);
        }
        if (literal("true")) return out.type = Json::Type::Bool, out.boolean = true, true;
        if (literal("false")) return out.type = Json::Type::Bool, true;
        if (literal("null")) return true;
        const std::string rest(s_.substr(pos_, 64));
        char* end = nullptr;
        out.number = std::strtod(rest.c_str(), &end);
        if (end == rest.c_str()) return false;
        out.type = Json::Type::Number;
        pos_ += static_cast<std::size_t>(end - rest.c_str());
        return true;
    }

    std::string_view s_;
    std::size_t pos_ = 0;
};

bool answer_ok(const Json& answer) {
    const Json* ok = answer.get("ok");
    return ok && ok->type == Json::Type::Bool && ok->boolean;
}

// The reasons a refusal gives: its "errors" list, else its "error" text, else the raw body
// (trimmed: a proxy in front may answer with a whole HTML page).
std::vector<std::string> refusal_reasons(const HttpResult& r, const Json* answer) {
    std::vector<std::string> reasons;
    if (answer) {
        if (const Json* errors = answer->get("errors"); errors && errors->type == Json::Type::Array)
            for (const auto& e : errors->items)
                if (e.type == Json::Type::String) reasons.push_back(e.text);
        if (reasons.empty() && !answer->str("error").empty())
            reasons.push_back(answer->str("error"));
    }
    if (reasons.empty()) {
        std::string body = r.body.substr(0, 200);
        while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
        reasons.push_back("HTTP " + std::to_string(r.status) + (body.empty() ? "" : ": " + body));
    }
    return reasons;
}

std::vector<Override> read_overrides(const Json& answer) {
    std::vector<Override> out;
    const Json* list = answer.get("overrides");
    if (!list || list->type != Json::Type::Array) return out;
    for (const auto& o : list->items) {
        Override v{o.str("cluster"), o.str("instance"), o.str("admin_state"), o.str("origin"), 0};
        if (const Json* since = o.get("since_ms"); since && since->type == Json::Type::Number)
            v.since_ms = static_cast<std::int64_t>(since->number);
        if (!o.str("kind").empty()) v.kind = o.str("kind");
        v.context_root = o.str("context_root");
        v.version = o.str("version");
        if (const Json* p = o.get("percent"); p && p->type == Json::Type::Number)
            v.percent = static_cast<int>(p->number);
        out.push_back(std::move(v));
    }
    return out;
}

HttpRequest request(const std::string& method, const std::string& url, const std::string& secret,
                    const std::string& body) {
    HttpRequest r{method, url, {{"X-Zdu-Secret", secret}}, body};
    if (method == "POST") r.headers.emplace_back("Content-Type", "application/xml");
    return r;
}

// Sends one request and records, on refusal or no answer, why in `fe`. Returns the parsed
// answer when the front-end said ok.
bool exchange(Transport& transport, const HttpRequest& req, const std::string& phase,
              FrontEndReport& fe, Json& answer) {
    fe.phase = phase;
    fe.status = 0;  // not an earlier phase's answer
    const HttpResult r = transport.send(req);
    if (!r.reached) {
        fe.outcome = Outcome::Unreachable;
        fe.reasons = {r.error.empty() ? "no answer" : r.error};
        return false;
    }
    fe.status = r.status;
    const bool parsed = parse_json(r.body, answer);
    if (!parsed) answer = Json{};  // no half-read members for the caller to trust
    if (r.status == 200 && parsed && answer_ok(answer)) return true;
    fe.outcome = Outcome::Refused;
    fe.reasons = refusal_reasons(r, parsed ? &answer : nullptr);
    if (r.status == 200 && !parsed) fe.reasons = {"answer is not the manager's JSON"};
    return false;
}

bool flag(const Json& answer, const std::string& key) {
    const Json* v = answer.get(key);
    return v && v->type == Json::Type::Bool && v->boolean;
}

// A commit sent without an answer (timed out, connection dropped): the front-end may have
// applied it. Its status tells: the config_hash it serves is the one pushed, or not yet.
void settle_unanswered(Transport& transport, const std::string& status_url,
                       const std::string& expected_hash, const std::string& secret,
                       FrontEndReport& fe) {
    const std::string no_answer = fe.reasons.empty() ? "no answer" : fe.reasons.front();
    fe.outcome = Outcome::Unknown;
    fe.detail = "sent, no answer; check its status";
    fe.reasons = {"commit: " + no_answer};
    const HttpResult r = transport.send(request("GET", status_url, secret, ""));
    Json status;
    if (!r.reached || r.status != 200 || !parse_json(r.body, status) || !answer_ok(status)) {
        fe.reasons.push_back("its status could not be read either: " +
                             (r.reached ? "HTTP " + std::to_string(r.status) : r.error));
        return;
    }
    const std::string serving = status.str("config_hash");
    if (serving == expected_hash) {
        fe.outcome = Outcome::Applied;
        fe.detail = "confirmed by its status, the commit answer was lost";
        fe.hash = serving;
        if (const Json* g = status.get("generation"); g && g->type == Json::Type::Number)
            fe.generation = static_cast<std::int64_t>(g->number);
        fe.overrides = read_overrides(status);
        return;
    }
    // A commit still running there (children still switching) would not show yet: say what
    // the status shows rather than "not applied" for certain.
    fe.detail = "sent, no answer; not applied so far";
    fe.reasons.push_back("its status serves hash " + (serving.empty() ? "(none)" : serving) +
                         ", not " + expected_hash + "; check its status again");
}

// An answer the manager did not write: every answer of its own is JSON with "ok". A reverse
// proxy in front answers 502/504 when its own timeout ends before the commit's, which then
// still runs (or ran) behind it.
bool not_the_managers(const Json& answer, const FrontEndReport& fe) {
    return answer.get("ok") == nullptr && fe.status != 0;
}

void commit_on(Transport& transport, const HttpRequest& commit, const std::string& expected_hash,
               const std::string& secret, FrontEndReport& fe) {
    Json answer;
    if (!exchange(transport, commit, "commit", fe, answer)) {
        if (fe.outcome == Outcome::Unreachable || not_the_managers(answer, fe)) {
            settle_unanswered(transport, command_url(fe.url, "cmd=status"), expected_hash, secret,
                              fe);
        }
        return;
    }
    fe.hash = answer.str("hash");
    fe.reasons.clear();
    // The front-end says which content it committed: another one than was validated and sent
    // is not this xml running there.
    if (fe.hash != expected_hash) {
        fe.outcome = Outcome::Refused;
        fe.detail = "hash mismatch";
        fe.reasons = {"the commit answered hash " + (fe.hash.empty() ? "(none)" : fe.hash) +
                      ", not the hash of the xml sent (" + expected_hash + ")"};
        return;
    }
    fe.outcome = flag(answer, "unchanged") ? Outcome::Unchanged : Outcome::Applied;
    if (const Json* g = answer.get("generation"); g && g->type == Json::Type::Number)
        fe.generation = static_cast<std::int64_t>(g->number);
    fe.reset = flag(answer, "reset");
    fe.overrides = read_overrides(answer);
}

}  // namespace

std::string describe(const Override& o) {
    if (o.kind == "web-module") {
        return o.cluster + " web-module " + o.context_root + ' ' + o.admin_state;
    }
    if (o.kind == "active-version") {
        return o.cluster + " active-version " + (o.version.empty() ? "(unknown here)" : o.version);
    }
    if (o.kind == "canary") {
        return o.cluster + " canary " +
               (o.percent > 0 ? o.version + " at " + std::to_string(o.percent) + "%" : "stopped");
    }
    return o.cluster + '/' + o.instance + ' ' + o.admin_state;
}

bool parse_json(std::string_view text, Json& out) {
    return JsonParser(text).parse(out);
}

std::string_view outcome_name(Outcome o) {
    switch (o) {
        case Outcome::Applied:
            return "applied";
        case Outcome::Refused:
            return "refused";
        case Outcome::Unchanged:
            return "unchanged";
        case Outcome::Unreachable:
            return "unreachable";
        case Outcome::Unknown:
            return "unknown";
        case Outcome::NotPushed:
            return "not pushed";
    }
    return "?";
}

bool ApplyReport::all_applied() const {
    if (front_ends.empty()) return false;
    for (const auto& fe : front_ends)
        if (fe.outcome != Outcome::Applied && fe.outcome != Outcome::Unchanged) return false;
    return true;
}

std::string command_url(const std::string& manager_url, std::string_view query) {
    std::string url = manager_url;
    // A fragment is never sent; the query goes before it.
    if (auto hash = url.find('#'); hash != std::string::npos) url.erase(hash);
    const auto q = url.find('?');
    if (q == std::string::npos)
        url += '?';
    else if (q + 1 != url.size() && url.back() != '&')
        url += '&';
    url += query;
    return url;
}

std::string config_hash_hex(std::string_view xml) {
    return zdu::manager::hex64(zdu::config::content_hash(xml));
}

ApplyReport apply(const std::string& xml, const std::vector<std::string>& urls,
                  const std::string& secret, const ApplyOptions& options, Transport& transport) {
    ApplyReport report;
    for (const auto& u : urls) {
        report.front_ends.emplace_back();
        report.front_ends.back().url = u;
    }
    const std::string expected_hash = config_hash_hex(xml);

    bool all_ready = true;
    for (auto& fe : report.front_ends) {
        Json answer;
        if (options.ping &&
            !exchange(transport, request("GET", command_url(fe.url, "cmd=ping"), secret, ""),
                      "ping", fe, answer)) {
            all_ready = false;
            continue;
        }
        answer = Json{};
        if (!exchange(transport,
                      request("POST", command_url(fe.url, "cmd=push-validate"), secret, xml),
                      "validate", fe, answer)) {
            all_ready = false;
            continue;
        }
        fe.hash = answer.str("hash");
        if (const Json* u = answer.get("unchanged"); u && u->type == Json::Type::Bool)
            fe.unchanged = u->boolean;
        // The front-end hashes the bytes it received; another hash means other bytes arrived
        // (a proxy rewrote them, or another version of the module hashes differently), and
        // committing would leave the front-ends on configs nobody validated here.
        if (fe.hash != expected_hash) {
            fe.outcome = Outcome::Refused;
            fe.reasons = {"validated hash " + (fe.hash.empty() ? "(none)" : fe.hash) +
                          " is not the hash of the xml sent (" + expected_hash + ")"};
            all_ready = false;
        }
    }
    if (!all_ready) {
        for (auto& fe : report.front_ends)
            if (fe.reasons.empty()) {
                fe.outcome = Outcome::NotPushed;
                fe.reasons = {"valid, not committed: another front-end was not ready"};
            }
        return report;
    }

    const std::string commit_query = "cmd=push-commit&hash=" + expected_hash +
                                     (options.reset_overrides ? "&reset-overrides=1" : "");
    for (auto& fe : report.front_ends) {
        // Nothing to change there: no commit, so no write and no reload. A reset of the
        // overrides still needs one (the module then neither writes nor publishes).
        if (fe.unchanged && !options.reset_overrides) {
            fe.outcome = Outcome::Unchanged;
            continue;
        }
        report.committed = true;
        commit_on(transport, request("POST", command_url(fe.url, commit_query), secret, xml),
                  expected_hash, secret, fe);
    }
    return report;
}

std::string format_report(const ApplyReport& report) {
    std::ostringstream out;
    for (const auto& fe : report.front_ends) {
        out << fe.url << ": " << outcome_name(fe.outcome);
        if (!fe.detail.empty()) out << " (" << fe.detail << ')';
        if (fe.outcome == Outcome::Unchanged) {
            out << " (hash " << fe.hash << (fe.reset ? ", overrides reset" : "")
                << ": already running it, nothing reloaded)\n";
        } else if (fe.outcome == Outcome::Applied) {
            out << " (generation " << fe.generation << ", hash " << fe.hash
                << (fe.reset ? ", overrides reset" : "") << ")\n";
        } else {
            out << " at " << fe.phase;
            if (fe.status) out << " (HTTP " << fe.status << ")";
            out << '\n';
        }
        for (const auto& r : fe.reasons) out << "  " << r << '\n';
        for (const auto& o : fe.overrides)
            out << "  override: " << describe(o) << " by " << o.origin << " since_ms " << o.since_ms
                << " (kept; --reset-overrides lets the xml decide)\n";
    }
    if (!report.committed)
        out << (report.all_applied() ? "every front-end already runs this content\n"
                                     : "nothing committed on any front-end\n");
    return out.str();
}

}  // namespace lbxml_gen
