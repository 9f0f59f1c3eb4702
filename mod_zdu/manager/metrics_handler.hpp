// SetHandler zdu-metrics: the status data in Prometheus' text format (metrics/prometheus.hpp)
// for GET and HEAD. Read-only and without the manager's secret, as zdu-status: who may scrape
// it is left to httpd's Require.
#pragma once

namespace zdu::glue {

void register_metrics_handler();  // from register_hooks

}  // namespace zdu::glue
