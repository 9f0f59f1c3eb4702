#include "mod_zdu/manager/page_handler.hpp"

#include <ctime>
#include <string>
#include <string_view>

#include "manager/command.hpp"
#include "manager/page_session.hpp"
#include "manager/query.hpp"
#include "manager/secret.hpp"
#include "manager/status_page.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/manager/commands.hpp"
#include "mod_zdu/manager/html_response.hpp"
#include "mod_zdu/manager/status_document.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/snapshot.hpp"
#include "mod_zdu/state/module_state.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

// A sign-in or an action form is a few hundred bytes; anything bigger is not from the page.
constexpr std::size_t kMaxFormBytes = 8192;
constexpr int kSignedInRefreshS = 15;

const char* client_ip(const request_rec* r) {
    return r->useragent_ip ? r->useragent_ip : "-";
}

std::int64_t now_s() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

bool is_https(request_rec* r) {
    return std::string_view(ap_http_scheme(r)) == "https";
}

std::string session_of(const request_rec* r) {
    return manager::cookie_value(apr_table_get(r->headers_in, "Cookie"), manager::kPageCookieName);
}

bool signed_in(const std::string& session) {
    return manager::page_session_valid(module_state().manager_secret, session, now_s());
}

bool from_own_origin(request_rec* r) {
    const char* host = apr_table_get(r->headers_in, "Host");
    const std::string own = manager::own_origin(ap_http_scheme(r), host ? host : r->hostname);
    return manager::same_origin_request(own, apr_table_get(r->headers_in, "Origin"),
                                        apr_table_get(r->headers_in, "Referer"));
}

void page(request_rec* r, int status, manager::PageMode mode, const std::string& session,
          std::string notice = {}, bool error = false) {
    manager::StatusData data;
    if (mode == manager::PageMode::Actions) {
        // As the manager does: the answer is about the newest config this child can serve.
        follow_published(r->server);
        collect_status(pin_for_request(r), std::string(), data);
    }
    manager::PageOptions options;
    options.mode = mode;
    options.self_path = r->uri;
    options.token = manager::page_token(module_state().manager_secret, session);
    options.notice = std::move(notice);
    options.notice_is_error = error;
    options.refresh_s = kSignedInRefreshS;
    respond_html(r, status, manager::render_status_page(data, options));
}

// Anyone may get the page or sign out, so a body they announce is never read (it may be
// gigabytes, or never come): the connection closes after the answer instead, and httpd's own
// discard at the end of the request then reads nothing either.
void leave_body_unread(request_rec* r) {
    if (ap_request_has_body(r)) r->connection->keepalive = AP_CONN_CLOSE;
}

void log_refusal(request_rec* r, const char* why) {
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  ZDU_LOG_MANAGER_REFUSED "manager page %s %s from %s refused: %s", r->method,
                  r->uri, client_ip(r), why);
}

// Refused before any body is read, as the manager refuses a wrong secret: the connection closes.
int refuse(request_rec* r, const char* why) {
    log_refusal(r, why);
    r->connection->keepalive = AP_CONN_CLOSE;
    page(r, HTTP_FORBIDDEN, manager::PageMode::SignIn, {}, why, true);
    return OK;
}

// The form body, at most kMaxFormBytes; false when it is larger or unreadable.
bool read_form(request_rec* r, std::string& body) {
    if (const char* cl = apr_table_get(r->headers_in, "Content-Length")) {
        apr_off_t n = 0;
        if (apr_strtoff(&n, cl, nullptr, 10) != APR_SUCCESS || n < 0 ||
            static_cast<std::uint64_t>(n) > kMaxFormBytes) {
            return false;
        }
    }
    if (ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK) != OK) return false;
    if (!ap_should_client_block(r)) return true;
    char buf[2048];
    for (;;) {
        long n = ap_get_client_block(r, buf, sizeof buf);
        if (n == 0) return true;
        if (n < 0 || body.size() + static_cast<std::size_t>(n) > kMaxFormBytes) return false;
        body.append(buf, static_cast<std::size_t>(n));
    }
}

void set_cookie(request_rec* r, const std::string& value, std::int64_t max_age_s) {
    const std::string header = manager::session_set_cookie(value, r->uri, is_https(r), max_age_s);
    apr_table_addn(r->err_headers_out, "Set-Cookie", apr_pstrdup(r->pool, header.c_str()));
}

int see_page(request_rec* r) {
    // Post/redirect/get: a reload of the page after signing in does not post the secret again.
    apr_table_setn(r->headers_out, "Location", r->uri);
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    r->status = HTTP_SEE_OTHER;
    ap_set_content_length(r, 0);
    return OK;
}

int sign_in(request_rec* r) {
    if (!from_own_origin(r)) return refuse(r, "sign-in from another origin");
    std::string body;
    if (!read_form(r, body)) return refuse(r, "sign-in form too large or unreadable");
    const manager::Query form = manager::parse_query(body);
    const std::string* secret = form.ok() ? form.find("secret") : nullptr;
    const manager::Access access =
        manager::check_access(module_state().manager_secret, secret ? secret->c_str() : nullptr);
    if (access != manager::Access::Granted) {
        const bool configured = access != manager::Access::NotConfigured;
        return refuse(r, configured ? "wrong secret" : "no ZduManagerSecret is configured");
    }
    set_cookie(r, manager::make_page_session(module_state().manager_secret, now_s()),
               manager::kPageSessionSeconds);
    ap_log_rerror(APLOG_MARK, APLOG_NOTICE, 0, r,
                  ZDU_LOG_MANAGER_COMMAND "manager: page sign-in from %s", client_ip(r));
    return see_page(r);
}

int sign_out(request_rec* r) {
    if (!from_own_origin(r)) return refuse(r, "sign-out from another origin");
    leave_body_unread(r);
    set_cookie(r, "", 0);
    return see_page(r);
}

// The body without its token pair: what is left is the command's query, as scripts send it.
std::string take_token(const std::string& body, std::string& token) {
    std::string rest;
    std::string_view all(body);
    while (!all.empty()) {
        const std::size_t amp = all.find('&');
        std::string_view pair = all.substr(0, amp);
        all = amp == std::string_view::npos ? std::string_view() : all.substr(amp + 1);
        if (pair.substr(0, pair.find('=')) == "token") {
            token = std::string(pair.substr(pair.find('=') + 1));
        } else if (!pair.empty()) {
            if (!rest.empty()) rest += '&';
            rest += pair;
        }
    }
    return rest;
}

int action(request_rec* r, const std::string& session) {
    if (!from_own_origin(r)) return refuse(r, "action from another origin");
    if (!signed_in(session)) return refuse(r, "not signed in, or the sign-in expired");
    std::string body;
    if (!read_form(r, body)) return refuse(r, "action form too large or unreadable");
    std::string token;
    const std::string query = take_token(body, token);
    if (!manager::page_token_valid(module_state().manager_secret, session, token)) {
        return refuse(r, "missing or wrong page token");
    }
    const manager::ParsedCommand parsed = manager::parse_command("POST", query);
    if (!parsed.ok() || parsed.command.takes_body()) {
        const std::string why = parsed.ok() ? "a push takes its xml as a body" : parsed.error;
        page(r, parsed.ok() ? HTTP_BAD_REQUEST : parsed.status, manager::PageMode::Actions, session,
             why, true);
        return OK;
    }
    follow_published(r->server);
    const ManagerAnswer answer = run_command(parsed.command, pin_for_request(r));
    const std::string what = manager::describe(parsed.command);
    const int level =
        parsed.command.changes_state() && answer.status == HTTP_OK ? APLOG_NOTICE : APLOG_INFO;
    ap_log_rerror(APLOG_MARK, level, 0, r,
                  ZDU_LOG_MANAGER_COMMAND "manager: page %s from %s -> %d: %s", what.c_str(),
                  client_ip(r), answer.status, answer.outcome.c_str());
    std::string notice = what + ": " + (answer.outcome.empty() ? "done" : answer.outcome);
    page(r, answer.status, manager::PageMode::Actions, session, notice, answer.status != HTTP_OK);
    return OK;
}

}  // namespace

int handle_page(request_rec* r) {
    // Scripts present the secret on every request and get JSON, as before.
    if (apr_table_get(r->headers_in, "X-Zdu-Secret")) return DECLINED;
    const std::string_view args(r->args ? r->args : "");
    const std::string session = session_of(r);
    if (r->method_number == M_GET && args.empty()) {
        leave_body_unread(r);
        if (module_state().manager_secret.empty()) {
            constexpr const char* kClosed =
                "no ZduManagerSecret is configured: the manager is closed";
            log_refusal(r, kClosed);  // a 403 as every other refusal: logged as they are
            page(r, HTTP_FORBIDDEN, manager::PageMode::SignIn, {}, kClosed, true);
        } else if (signed_in(session)) {
            page(r, HTTP_OK, manager::PageMode::Actions, session);
        } else {
            page(r, HTTP_OK, manager::PageMode::SignIn, {});
        }
        return OK;
    }
    if (r->method_number != M_POST) return DECLINED;
    if (args == "sign-in") return sign_in(r);
    if (args == "sign-out") return sign_out(r);
    if (args.empty() && !session.empty()) return action(r, session);
    return DECLINED;
}

}  // namespace zdu::glue
