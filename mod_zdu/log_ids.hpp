// Stable message ids of mod_zdu's log lines ("ZDU" + number), so operators can grep and alert on
// them. Never renumber; add new ids at the end.
#pragma once

#define ZDU_LOG_CONFIG_LOADED "ZDU0001: "
#define ZDU_LOG_CONFIG_WARNING "ZDU0002: "
#define ZDU_LOG_NEEDS_PROXY "ZDU0003: "
#define ZDU_LOG_SHM_FAILED "ZDU0004: "
#define ZDU_LOG_BALANCER_MISSING "ZDU0005: "
#define ZDU_LOG_ROUTED "ZDU0006: "
#define ZDU_LOG_NO_INSTANCE "ZDU0007: "
#define ZDU_LOG_MODULE_DISABLED "ZDU0008: "
#define ZDU_LOG_QUIESCE_EXPIRED "ZDU0009: "
#define ZDU_LOG_ROUTE_COOKIE "ZDU0010: "
#define ZDU_LOG_LOCATION_REWRITTEN "ZDU0011: "
#define ZDU_LOG_RUNTIME_FAILED "ZDU0012: "
#define ZDU_LOG_FAILED_OVER "ZDU0013: "
