#include "mod_zdu/manager/metrics_handler.hpp"

#include <cstring>
#include <string>

#include "manager/status.hpp"
#include "metrics/prometheus.hpp"
#include "mod_zdu/httpd.hpp"
#include "mod_zdu/manager/status_document.hpp"
#include "mod_zdu/manager/text_response.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/snapshot.hpp"

namespace zdu::glue {
namespace {

constexpr const char* kHandlerName = "zdu-metrics";

int handle(request_rec* r) {
    if (!r->handler || std::strcmp(r->handler, kHandlerName) != 0) return DECLINED;
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (r->method_number != M_GET) return HTTP_METHOD_NOT_ALLOWED;
    if (int rc = ap_discard_request_body(r); rc != OK) return rc;
    follow_published(r->server);
    manager::StatusData data;
    collect_status(pin_for_request(r), std::string(), data);
    respond_text(r, HTTP_OK, metrics::kPrometheusContentType, metrics::prometheus_text(data));
    return OK;
}

}  // namespace

int metrics_handler(request_rec* r) {
    return handle(r);
}

}  // namespace zdu::glue
