#include "mod_zdu/request/session_tracking.hpp"

#include <atomic>

#include "lifecycle/drain.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/time_ms.hpp"
#include "routing/retry_policy.hpp"
#include "routing/url_pattern_list.hpp"
#include "sessions/session_table.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

sessions::SessionTable* table() {
    auto& t = module_state().session_table;
    return t ? &*t : nullptr;
}

sessions::Seconds store_now() {
    return state::store_seconds(*module_state().block, now_ms());
}

// Not r->request_time: httpd reads the request line, then the headers (a slow client may take
// up to Timeout between lines), and an internal redirect (our resend) keeps the first request's
// time. A deadline from it would be short by that much, and in the past when it was longer than
// the session timeout.
sessions::Seconds store_seconds_at(apr_time_t t) {
    return state::store_seconds(*module_state().block, apr_time_as_msec(t));
}

sessions::SessionKey key_of(const RequestContext& ctx, std::string_view session_id) {
    return sessions::session_key(module_state().block->hash_seed(), ctx.cluster->key, session_id);
}

// The container maps the path less every segment's ";params": so do the patterns, or
// "/app/account;v=1/logout" would log the user out unseen. A copy only for such a path.
bool matches_logout(request_rec* r, const WebModuleRuntime& wm) {
    if (wm.logout_patterns.empty()) return false;
    std::string_view uri = r->uri;
    if (uri.find(';') != std::string_view::npos) {
        uri =
            routing::without_path_params(uri, static_cast<char*>(apr_palloc(r->pool, uri.size())));
    }
    return wm.logout_patterns.matches(routing::path_in_module(uri, wm.config->context_root));
}

// A full table cannot refuse a session: routing goes on from the route cookie. Said once per
// cluster and episode (the counter was zero), counted always.
void note_overflow(request_rec* r, const RequestContext& ctx) {
    if (ctx.cluster->record->session_overflow.fetch_add(1, std::memory_order_relaxed) != 0) return;
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  ZDU_LOG_SESSION_TABLE_FULL
                  "cluster %s: the session table is full of returning sessions; new sessions "
                  "are routed by their cookie but not tracked (raise ZduSessionSlots)",
                  ctx.cluster->config->name.c_str());
}

// An instance with sessions the table does not know is never reported drained while they are
// seen; the record keeps the last time, written at most once a second.
void note_untracked_seen(const InstanceRuntime& inst) {
    std::int64_t now = now_ms();
    auto& seen = inst.record->untracked_seen_ms;
    if (now - seen.load(std::memory_order_relaxed) >= 1000) {
        seen.store(now, std::memory_order_relaxed);
    }
}

void end_session(request_rec* r, RequestContext& ctx, sessions::SessionKey key, const char* why) {
    if (key.hash == 0 || !table()) return;
    table()->end(key, store_now() + ctx.web_module->session_timeout_s);
    // Counted where a live session lived: a logout of a session that already ended (its
    // request routed as a new one, maybe to another version) ends nothing.
    const int home = ctx.binding.found != sessions::Found::Live            ? -1
                     : ctx.decision.kind == routing::Decision::Kind::Moved ? ctx.decision.instance
                                                                           : ctx.table_home;
    if (home >= 0) {
        ctx.cluster->instances[home].record->sessions_ended.fetch_add(1, std::memory_order_relaxed);
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, ZDU_LOG_SESSION_ENDED "session ended: %s", why);
}

// Whether a new session was recorded: a Set-Cookie that only re-sends the id the client sent
// for a session the table holds (an app refreshing the cookie's Max-Age on every response) is
// no new session: nothing is written, counted or pinned.
bool record_created(request_rec* r, RequestContext& ctx, std::string_view value) {
    const int i = ctx.decision.instance;
    const InstanceRuntime& inst = ctx.cluster->instances[i];
    sessions::SessionKey key = key_of(ctx, value);
    if (ctx.session == key && ctx.binding.found == sessions::Found::Live) return false;
    std::uint8_t flags = 0;
    if (instance_draining(ctx, i)) {
        flags = sessions::kDrainCreated;
        inst.record->drain_created.fetch_add(1, std::memory_order_relaxed);
    }
    // The response filter read the clock as the response started: the session's first use.
    const sessions::Seconds now =
        ctx.response_start ? store_seconds_at(ctx.response_start) : store_now();
    auto result = table()->insert(key, inst.slot, now + ctx.web_module->session_timeout_s, flags);
    if (result == sessions::InsertResult::Full) {
        note_overflow(r, ctx);
        note_untracked_seen(inst);
    }
    // The client sent another session and was handed a new one (an app server that keeps the
    // cookie on invalidate() and makes a new session at the next login): the old one ended.
    if (ctx.session.hash != 0 && !(ctx.session == key))
        end_session(r, ctx, ctx.session, "replaced");
    return true;
}

}  // namespace

bool instance_draining(const RequestContext& ctx, int i) {
    const auto state =
        ctx.cluster->instances[i].record->drain_state.load(std::memory_order_relaxed);
    return state != static_cast<std::uint32_t>(lifecycle::DrainState::Active);
}

void look_up_session(request_rec* r, RequestContext& ctx) {
    ctx.table_home = -1;
    ctx.logout = matches_logout(r, *ctx.web_module);
    if (ctx.sources.session_id.empty() || !table()) return;
    ctx.session = key_of(ctx, ctx.sources.session_id);
    if (ctx.session.hash == 0) return;
    ctx.binding = table()->find(ctx.session);
    if (ctx.binding.found != sessions::Found::Live) return;
    // Idle past its deadline and not swept yet: it ended, as the sweep will say.
    if (ctx.binding.expires < store_now()) {
        ctx.binding.found = sessions::Found::Ended;
        return;
    }
    const int cluster = ctx.web_module->cluster;
    ctx.table_home = ctx.runtime->instance_at(cluster, ctx.binding.instance);
    if (ctx.table_home >= 0) return;
    ctx.home_gone = true;
    ctx.binding = sessions::Binding{};
}

void note_routed_session(request_rec*, RequestContext& ctx) {
    if (ctx.session.hash == 0 || !table() || ctx.decision.instance < 0) return;
    const InstanceRuntime& inst = ctx.cluster->instances[ctx.decision.instance];
    // pre_request's clock read for this attempt: the time it was routed.
    const sessions::Seconds expires =
        store_seconds_at(ctx.attempt_start) + ctx.web_module->session_timeout_s;
    switch (ctx.binding.found) {
        case sessions::Found::Live:
            if (ctx.table_home == ctx.decision.instance) {
                table()->touch(ctx.session, expires);
            } else if (ctx.decision.kind == routing::Decision::Kind::Moved) {
                // Failover moved the session: it lives where it went now.
                table()->insert(ctx.session, inst.slot, expires, ctx.binding.flags);
            }
            // Else the side door sent this one request elsewhere: the session stays home.
            return;
        case sessions::Found::Ended:
            return;  // its request starts a new session; the old id means nothing now
        case sessions::Found::None:
            break;
    }
    // Unknown to the table but honoured by its route (older than the table, a restart, a full
    // table): an untracked session of that instance.
    if (ctx.decision.kind != routing::Decision::Kind::Sticky) return;
    auto result = table()->insert(ctx.session, inst.slot, expires, sessions::kUntracked);
    ctx.binding.found = sessions::Found::Live;  // a retry of this request must not insert again
    ctx.table_home = ctx.decision.instance;
    (void)result;  // stored or not, the instance has a session no Set-Cookie told of
    note_untracked_seen(inst);
}

bool learn_from_response(request_rec* r, RequestContext& ctx, const SessionCookieSeen& seen) {
    const bool end_header = seen.end_header;
    if (end_header) {
        apr_table_unset(r->headers_out, kSessionEndHeader);
        apr_table_unset(r->err_headers_out, kSessionEndHeader);
    }
    if (ctx.decision.instance < 0) return false;
    if (!table()) return !seen.created.empty();
    if (!seen.created.empty()) return record_created(r, ctx, seen.created);
    if (seen.deleted) {
        end_session(r, ctx, ctx.session, "the backend expired the session cookie");
    } else if (end_header) {
        end_session(r, ctx, ctx.session, kSessionEndHeader);
    } else if (ctx.logout) {
        end_session(r, ctx, ctx.session, "logout-url-pattern");
    }
    return false;
}

}  // namespace zdu::glue
