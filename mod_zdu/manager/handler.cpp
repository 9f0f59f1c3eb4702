#include "mod_zdu/manager/handler.hpp"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include "manager/answers.hpp"
#include "manager/command.hpp"
#include "manager/secret.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/manager/commands.hpp"
#include "mod_zdu/manager/json_response.hpp"
#include "mod_zdu/manager/page_handler.hpp"
#include "mod_zdu/manager/push.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/snapshot.hpp"
#include "mod_zdu/state/module_state.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr const char* kHandlerName = "zdu-manager";
constexpr const char* kSecretHeader = "X-Zdu-Secret";

const char* client_ip(const request_rec* r) {
    return r->useragent_ip ? r->useragent_ip : "-";
}

bool authorised(request_rec* r) {
    const char* presented = apr_table_get(r->headers_in, kSecretHeader);
    manager::Access access = manager::check_access(module_state().manager_secret, presented);
    if (access == manager::Access::Granted) return true;
    std::string why(manager::refusal_text(access));
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  ZDU_LOG_MANAGER_REFUSED "manager request %s %s from %s refused: %s", r->method,
                  r->uri, client_ip(r), why.c_str());
    respond_json(r, HTTP_FORBIDDEN,
                 manager::error_answer("", HTTP_FORBIDDEN, why, std::chrono::microseconds(0)));
    return false;
}

void refuse_command(request_rec* r, const manager::ParsedCommand& parsed) {
    if (parsed.status == HTTP_METHOD_NOT_ALLOWED) {
        apr_table_setn(r->headers_out, "Allow", apr_pstrdup(r->pool, parsed.allow.c_str()));
    }
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  ZDU_LOG_MANAGER_COMMAND "manager: %s from %s not run: %s", r->method,
                  client_ip(r), parsed.error.c_str());
    respond_json(r, parsed.status,
                 manager::error_answer(parsed.command.name, parsed.status, parsed.error,
                                       std::chrono::microseconds(0)));
}

void log_command(request_rec* r, const manager::Command& c, const ManagerAnswer& answer) {
    // Changes are an audit trail: they log at notice, reads only at info.
    int level = c.changes_state() && answer.status == HTTP_OK ? APLOG_NOTICE : APLOG_INFO;
    std::string what = manager::describe(c);
    ap_log_rerror(APLOG_MARK, level, 0, r, ZDU_LOG_MANAGER_COMMAND "manager: %s from %s -> %d: %s",
                  what.c_str(), client_ip(r), answer.status, answer.outcome.c_str());
}

int handle(request_rec* r) {
    if (!r->handler || std::strcmp(r->handler, kHandlerName) != 0) return DECLINED;
    // A browser's page, sign-in and form actions (no X-Zdu-Secret header); scripts go on below.
    if (handle_page(r) == OK) return OK;
    // A body is read only for whoever holds the secret, whatever the command (a push whose
    // query does not parse included): a refusal closes the connection instead of reading what
    // an anonymous client announced, which may be gigabytes or never come.
    if (!authorised(r)) {
        r->connection->keepalive = AP_CONN_CLOSE;
        return OK;
    }
    manager::ParsedCommand parsed = manager::parse_command(r->method, r->args ? r->args : "");
    if (parsed.ok() && parsed.command.takes_body()) return handle_push(r, parsed.command);
    // Read any body first, so the connection stays usable whatever the answer.
    if (int rc = ap_discard_request_body(r); rc != OK) return rc;
    if (!parsed.ok()) {
        refuse_command(r, parsed);
        return OK;
    }
    // As translate_name does, in case another module's translate hook took this URL first:
    // the answer is always about the newest config this child can serve.
    follow_published(r->server);
    ManagerAnswer answer = run_command(parsed.command, pin_for_request(r));
    log_command(r, parsed.command, answer);
    respond_json(r, answer.status, answer.json);
    return OK;
}

}  // namespace

const char* set_manager_secret(cmd_parms* cmd, void*, const char* secret) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    if (!*secret) return "ZduManagerSecret: the secret must not be empty";
    // The state is emptied at each config pass, so a second value here is a second directive.
    std::string& configured = module_state().manager_secret;
    if (!configured.empty()) return "ZduManagerSecret may appear only once";
    configured = secret;
    return nullptr;
}

const char* set_manager_ping_any_url(cmd_parms* cmd, void*, int on) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    module_state().manager_ping_any_url = on != 0;
    return nullptr;
}

const char* set_config_push(cmd_parms* cmd, void*, int on) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    module_state().config_push = on != 0;
    return nullptr;
}

const char* set_config_push_max_bytes(cmd_parms* cmd, void*, const char* arg) {
    if (const char* err = ap_check_cmd_context(cmd, GLOBAL_ONLY)) return err;
    char* end = nullptr;
    long long n = std::strtoll(arg, &end, 10);
    if (end && (*end == 'k' || *end == 'K')) n *= 1024, ++end;
    if (end && (*end == 'm' || *end == 'M')) n *= 1024 * 1024, ++end;
    if (!end || *end || n < 1024 || n > (256LL << 20)) {
        return apr_pstrcat(cmd->pool, "ZduConfigPushMaxBytes: '", arg,
                           "' is not a size from 1k to 256M", nullptr);
    }
    module_state().config_push_max_bytes = static_cast<std::size_t>(n);
    return nullptr;
}

int manager_handler(request_rec* r) {
    return handle(r);
}

}  // namespace zdu::glue
