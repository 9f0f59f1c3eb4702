#include "mod_zdu/manager/monitor_handler.hpp"

#include <cstring>
#include <string>

#include "manager/status.hpp"
#include "metrics/monitor_xml.hpp"
#include "mod_zdu/httpd.hpp"
#include "mod_zdu/manager/status_document.hpp"
#include "mod_zdu/manager/text_response.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/snapshot.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr const char* kPath = "/lbgetmonitordata";

bool monitoring_on(const Snapshot* snap) {
    return snap && snap->runtime && snap->runtime->settings.require_monitor_data;
}

int handle(request_rec* r) {
    // r->uri without the query: GlassFish also asked "?reset=true", answered the same (the
    // counters are shared by every child and never reset).
    // The second letter inline: most paths are told apart without a call.
    if (r->main || !r->uri || r->uri[0] != '/' || r->uri[1] != kPath[1] ||
        std::strcmp(r->uri, kPath) != 0) {
        return DECLINED;
    }
    follow_published(r->server);
    const Snapshot* snap = pin_for_request(r);
    if (!monitoring_on(snap)) return DECLINED;
    // Answered here, not proxied, whatever the method: not a request of the web-module "/" may
    // have matched, so its end is not counted as one.
    ap_set_module_config(r->request_config, &zdu_module, nullptr);
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (r->method_number != M_GET) return HTTP_METHOD_NOT_ALLOWED;
    if (int rc = ap_discard_request_body(r); rc != OK) return rc;
    manager::StatusData data;
    collect_status(snap, std::string(), data);
    respond_text(r, HTTP_OK, "text/xml; charset=utf-8", metrics::monitor_xml(data));
    return OK;
}

}  // namespace

int monitor_handler(request_rec* r) {
    return handle(r);
}

}  // namespace zdu::glue
