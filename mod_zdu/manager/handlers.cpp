#include "mod_zdu/manager/handlers.hpp"

#include <cstring>
#include <initializer_list>

#include "mod_zdu/httpd.hpp"
#include "mod_zdu/manager/handler.hpp"
#include "mod_zdu/manager/metrics_handler.hpp"
#include "mod_zdu/manager/monitor_handler.hpp"
#include "mod_zdu/manager/status_handler.hpp"

namespace zdu::glue {
namespace {

// The SetHandler names: all "zdu-…", so one compare passes over every other request.
int by_handler_name(request_rec* r) {
    // The first letter inline: a proxied request's "proxy-server" costs no call.
    if (!r->handler || r->handler[0] != 'z' || std::strncmp(r->handler, "zdu-", 4) != 0) {
        return DECLINED;
    }
    for (auto* handler : {manager_handler, status_handler, metrics_handler}) {
        if (int rc = handler(r); rc != DECLINED) return rc;
    }
    return DECLINED;
}

int handle(request_rec* r) {
    if (int rc = by_handler_name(r); rc != DECLINED) return rc;
    return monitor_handler(r);  // by path, whatever the handler
}

}  // namespace

void register_handlers() {
    // Before mod_proxy's handler, which would otherwise take a request that a context root of
    // "/" sent towards a balancer.
    static const char* const before_proxy[] = {"mod_proxy.c", nullptr};
    ap_hook_handler(handle, nullptr, before_proxy, APR_HOOK_FIRST);
}

}  // namespace zdu::glue
