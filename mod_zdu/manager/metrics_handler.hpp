// SetHandler zdu-metrics: the status data in Prometheus' text format (metrics/prometheus.hpp)
// for GET and HEAD. Read-only and without the manager's secret, as zdu-status: who may scrape
// it is left to httpd's Require.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// A handler of handlers.cpp's one handler hook: DECLINED unless the request is its own.
int metrics_handler(request_rec* r);

}  // namespace zdu::glue
