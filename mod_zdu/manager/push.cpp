#include "mod_zdu/manager/push.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "config/content_hash.hpp"
#include "config/loader.hpp"
#include "manager/answers.hpp"
#include "manager/config_file.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/manager/json_response.hpp"
#include "mod_zdu/manager/overrides.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/publisher.hpp"
#include "mod_zdu/reload/snapshot.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "state/config_region.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::microseconds since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

const char* client_ip(const request_rec* r) {
    return r->useragent_ip ? r->useragent_ip : "-";
}

// A refusal before the body is read: the connection closes rather than httpd reading (and
// discarding) a body nobody asked for.
int refuse(request_rec* r, const manager::Command& c, int status, const std::string& why,
           Clock::time_point start) {
    r->connection->keepalive = AP_CONN_CLOSE;
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  ZDU_LOG_PUSH_REFUSED "manager: %s from %s refused (%d): %s", c.name.c_str(),
                  client_ip(r), status, why.c_str());
    respond_json(r, status, manager::error_answer(c.name, status, why, since(start)));
    return OK;
}

// Never above ZduConfigMaxBytes: a body the shared region cannot hold would pass
// push-validate and only be refused at push-commit, after other front-ends committed it.
std::size_t body_limit() {
    const ModuleState& st = module_state();
    if (!st.config_push_max_bytes) return st.config_capacity;
    return std::min(st.config_push_max_bytes, st.config_capacity);
}

enum class Body { Read, TooLarge, Failed };

// The whole body, at most `limit` bytes; chunked bodies are read up to the limit too.
Body read_body(request_rec* r, std::size_t limit, std::string& body, int& rc) {
    if (const char* cl = apr_table_get(r->headers_in, "Content-Length")) {
        apr_off_t n = 0;
        if (apr_strtoff(&n, cl, nullptr, 10) == APR_SUCCESS && n > 0 &&
            static_cast<std::uint64_t>(n) > limit) {
            return Body::TooLarge;
        }
    }
    rc = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK);
    if (rc != OK) return Body::Failed;
    if (!ap_should_client_block(r)) return Body::Read;
    char buf[16384];
    for (;;) {
        long n = ap_get_client_block(r, buf, sizeof buf);
        if (n == 0) return Body::Read;
        if (n < 0) {
            rc = HTTP_BAD_REQUEST;
            return Body::Failed;
        }
        if (body.size() + static_cast<std::size_t>(n) > limit) return Body::TooLarge;
        body.append(buf, static_cast<std::size_t>(n));
    }
}

// `id` is one of the ZDU_LOG_PUSH_* prefixes.
void log_answer(request_rec* r, const manager::Command& c, const char* id, int level, int status,
                const std::string& outcome) {
    std::string what = manager::describe(c);
    ap_log_rerror(APLOG_MARK, level, 0, r, "%smanager: %s from %s -> %d: %s", id, what.c_str(),
                  client_ip(r), status, outcome.c_str());
}

// True when `hash` is the content every child serves and ZduConfigFile holds: a commit would
// neither publish nor write anything new. Both, so a file edited since (refused by the poller,
// or not yet polled) is still replaced by a push that brings the served content back.
bool runs_already(std::uint64_t hash) {
    const ModuleState& st = module_state();
    if (!st.block || st.block->config().published_hash() != hash) return false;
    std::string text;
    std::string why;
    return config::read_whole_file(st.config_file, text, why) && config::content_hash(text) == hash;
}

int validate(request_rec* r, const manager::Command& c, const std::string& body,
             Clock::time_point start) {
    std::uint64_t hash = config::content_hash(body);
    std::vector<std::string> errors = check_pushed(body, r->server);
    const bool unchanged = errors.empty() && runs_already(hash);
    int status = errors.empty() ? HTTP_OK : HTTP_BAD_REQUEST;
    log_answer(r, c, errors.empty() ? ZDU_LOG_PUSH_VALIDATED : ZDU_LOG_PUSH_INVALID,
               errors.empty() ? APLOG_INFO : APLOG_WARNING, status,
               errors.empty() ? "valid, hash " + manager::hex64(hash) +
                                    (unchanged ? " (unchanged: already served)" : "")
                              : std::to_string(errors.size()) + " error(s), first: " + errors[0]);
    respond_json(r, status,
                 manager::push_validate_answer(c.name, hash, errors, since(start), unchanged));
    return OK;
}

// What this child serves after a commit, and the overrides (reset first when asked).
manager::PushCommitReport commit_report(const manager::Command& c, std::uint64_t hash,
                                        std::uint64_t generation) {
    manager::PushCommitReport report;
    report.generation = generation;
    report.hash = hash;
    report.reset = c.reset_overrides;
    report.pid = static_cast<long>(getpid());
    if (SnapshotSlot* slot = pin_snapshot()) {
        const Runtime* rt = slot->value.runtime;
        report.generation = slot->value.generation;
        if (c.reset_overrides) report.cleared = reset_overrides(rt);
        report.overrides = overrides_of(rt);
        release_snapshot(slot);
    }
    return report;
}

std::string overrides_text(const manager::Command& c, const manager::PushCommitReport& report) {
    return std::to_string(report.overrides.size()) + " override(s)" +
           (c.reset_overrides ? ", " + std::to_string(report.cleared.size()) + " reset to active"
                              : std::string());
}

// The content is served and in the file already: nothing is written (the file keeps its
// mtime, so copy jobs and pollers see nothing) and nothing published; only a reset asked for
// is done.
int answer_unchanged(request_rec* r, const manager::Command& c, std::uint64_t hash,
                     Clock::time_point start) {
    manager::PushCommitReport report =
        commit_report(c, hash, module_state().block->config().generation());
    report.unchanged = true;
    log_answer(r, c, ZDU_LOG_PUSH_COMMITTED, APLOG_NOTICE, HTTP_OK,
               "unchanged, generation " + std::to_string(report.generation) +
                   " kept, file not written, " + overrides_text(c, report));
    respond_json(r, HTTP_OK, manager::push_commit_answer(report, since(start)));
    return OK;
}

int commit(request_rec* r, const manager::Command& c, const std::string& body,
           Clock::time_point start) {
    const std::uint64_t hash = config::content_hash(body);
    if (manager::hex64(hash) != c.hash) {
        // Not the bytes that were validated (or validated elsewhere): commit nothing.
        std::string why = "the body hashes to " + manager::hex64(hash) + ", not hash=" + c.hash +
                          " (push-validate this body first)";
        log_answer(r, c, ZDU_LOG_PUSH_INVALID, APLOG_WARNING, HTTP_CONFLICT, why);
        respond_json(r, HTTP_CONFLICT,
                     manager::error_answer(c.name, HTTP_CONFLICT, why, since(start)));
        return OK;
    }
    if (runs_already(hash)) return answer_unchanged(r, c, hash, start);
    const std::string& file = module_state().config_file;
    auto write = [&]() { return manager::replace_file(file, body); };
    ReloadOutcome out = push_config(r->server, body, write, "push");
    if (!out.write_error.empty()) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      ZDU_LOG_PUSH_WRITE_FAILED
                      "manager: push-commit from %s not applied, %s untouched: %s",
                      client_ip(r), file.c_str(), out.write_error.c_str());
        respond_json(r, HTTP_INTERNAL_SERVER_ERROR,
                     manager::error_answer(c.name, HTTP_INTERNAL_SERVER_ERROR,
                                           "not applied, the file is untouched: " + out.write_error,
                                           since(start)));
        return OK;
    }
    if (!out.ok) {
        log_answer(r, c, ZDU_LOG_PUSH_INVALID, APLOG_WARNING, HTTP_BAD_REQUEST,
                   "refused: " + (out.errors.empty() ? std::string() : out.errors.front()));
        respond_json(r, HTTP_BAD_REQUEST,
                     manager::push_validate_answer(c.name, hash, out.errors, since(start)));
        return OK;
    }
    // The publish installed this process's snapshot already; this covers the case where
    // every slot was pinned then, so the answer only goes out once this child runs it.
    follow_published(r->server);
    manager::PushCommitReport report = commit_report(c, hash, out.generation);
    report.changed = out.changed;
    log_answer(r, c, ZDU_LOG_PUSH_COMMITTED, APLOG_NOTICE, HTTP_OK,
               "generation " + std::to_string(report.generation) +
                   (out.changed ? "" : " (content already published)") + ", " +
                   overrides_text(c, report));
    respond_json(r, HTTP_OK, manager::push_commit_answer(report, since(start)));
    return OK;
}

}  // namespace

int handle_push(request_rec* r, const manager::Command& c) {
    const auto start = Clock::now();
    const ModuleState& st = module_state();
    if (!st.config_push) {
        return refuse(r, c, HTTP_FORBIDDEN, "ZduConfigPush is Off on this server", start);
    }
    if (st.config_file.empty()) {
        return refuse(r, c, HTTP_CONFLICT, "no ZduConfigFile to replace", start);
    }
    const std::size_t limit = body_limit();
    std::string body;
    int rc = OK;
    switch (read_body(r, limit, body, rc)) {
        case Body::TooLarge: {
            // Name the directive that set the limit, so the operator raises the right one.
            const char* which =
                limit == st.config_push_max_bytes ? "ZduConfigPushMaxBytes" : "ZduConfigMaxBytes";
            return refuse(
                r, c, HTTP_REQUEST_ENTITY_TOO_LARGE,
                std::string("the body is over ") + which + " (" + std::to_string(limit) + " bytes)",
                start);
        }
        case Body::Failed:
            return rc;
        case Body::Read:
            break;
    }
    if (body.empty())
        return refuse(r, c, HTTP_BAD_REQUEST, "no loadbalancer.xml in the body", start);
    follow_published(r->server);
    return c.kind == manager::CommandKind::PushCommit ? commit(r, c, body, start)
                                                      : validate(r, c, body, start);
}

}  // namespace zdu::glue
