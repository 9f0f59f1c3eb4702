#include "mod_zdu/manager/status_handler.hpp"

#include <chrono>
#include <cstring>
#include <string>

#include "manager/answers.hpp"
#include "mod_zdu/httpd.hpp"
#include "mod_zdu/manager/json_response.hpp"
#include "mod_zdu/manager/status_document.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/snapshot.hpp"

namespace zdu::glue {
namespace {

constexpr const char* kHandlerName = "zdu-status";

int handle(request_rec* r) {
    if (!r->handler || std::strcmp(r->handler, kHandlerName) != 0) return DECLINED;
    const auto started = std::chrono::steady_clock::now();
    // GET covers HEAD in r->method_number. Nothing here changes state, so nothing else is
    // accepted.
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (r->method_number != M_GET) return HTTP_METHOD_NOT_ALLOWED;
    if (int rc = ap_discard_request_body(r); rc != OK) return rc;
    // As the manager does: the answer is about the newest config this child can serve.
    follow_published(r->server);
    ManagerAnswer answer = status_document(pin_for_request(r), std::string(), started);
    respond_json(r, answer.status, answer.json);
    return OK;
}

}  // namespace

void register_status_handler() {
    // Before mod_proxy's handler, which would take a request that a context root of "/" sent
    // towards a balancer; ours declines anything but SetHandler zdu-status.
    static const char* const before_proxy[] = {"mod_proxy.c", nullptr};
    ap_hook_handler(handle, nullptr, before_proxy, APR_HOOK_FIRST);
}

}  // namespace zdu::glue
