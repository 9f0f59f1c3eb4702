// Stable message ids of mod_zdu's log lines ("ZDU" + number), so operators can grep and alert on
// them. Never renumber; add new ids at the end. An id no longer used stays reserved: its
// number is never given to another message.
#pragma once

#define ZDU_LOG_CONFIG_LOADED "ZDU0001: "
#define ZDU_LOG_CONFIG_WARNING "ZDU0002: "
#define ZDU_LOG_NEEDS_PROXY "ZDU0003: "
#define ZDU_LOG_SHM_FAILED "ZDU0004: "
// ZDU0005: reserved (was: balancer missing)
#define ZDU_LOG_ROUTED "ZDU0006: "
#define ZDU_LOG_NO_INSTANCE "ZDU0007: "
#define ZDU_LOG_MODULE_DISABLED "ZDU0008: "
// ZDU0009: reserved (was: quiesce expired)
#define ZDU_LOG_ROUTE_COOKIE "ZDU0010: "
#define ZDU_LOG_LOCATION_REWRITTEN "ZDU0011: "
#define ZDU_LOG_RUNTIME_FAILED "ZDU0012: "
// ZDU0013: reserved (was: failed over)
#define ZDU_LOG_INSTANCE_UNHEALTHY "ZDU0014: "
#define ZDU_LOG_INSTANCE_HEALTHY "ZDU0015: "
#define ZDU_LOG_RETRY "ZDU0016: "
#define ZDU_LOG_NOT_RETRIED "ZDU0017: "
#define ZDU_LOG_ERROR_PAGE "ZDU0018: "
// 0020-0029: active health checker
#define ZDU_LOG_CHECKER_STARTED "ZDU0020: "
#define ZDU_LOG_CHECK_FAILED "ZDU0021: "
#define ZDU_LOG_CHECKER_FAILED "ZDU0022: "
// 0030-0039: manager
#define ZDU_LOG_MANAGER_REFUSED "ZDU0030: "
#define ZDU_LOG_MANAGER_COMMAND "ZDU0031: "
// 0040-0049: policies
#define ZDU_LOG_POLICY_LOADED "ZDU0040: "
#define ZDU_LOG_POLICY_FAILED "ZDU0041: "
// 0050-0059: passive failure handling
#define ZDU_LOG_FAILURE_COUNTED "ZDU0050: "
#define ZDU_LOG_FAIL_OPEN "ZDU0051: "
#define ZDU_LOG_FAIL_OPEN_OVER "ZDU0052: "
#define ZDU_LOG_TIMEOUT_NOT_RETRIED "ZDU0053: "
// 0060-0069: request paths, worker binding, httpd version
#define ZDU_LOG_DOT_SEGMENT "ZDU0060: "
#define ZDU_LOG_NO_WORKER "ZDU0061: "
#define ZDU_LOG_HTTPD_TOO_OLD "ZDU0062: "
// 0070-0079: backend request headers
#define ZDU_LOG_CLIENT_HEADER_STRIPPED "ZDU0070: "
#define ZDU_LOG_STRIP_LIST_INVALID "ZDU0071: "
#define ZDU_LOG_CLIENT_CERT_UNUSABLE "ZDU0072: "
#define ZDU_LOG_BACKEND_HEADERS_INVALID "ZDU0073: "
// 0080-0089: shared-memory block and state file
#define ZDU_LOG_SHM_NEW_BLOCK "ZDU0080: "
#define ZDU_LOG_SHM_GROWN "ZDU0081: "
#define ZDU_LOG_STATE_SEEDED "ZDU0082: "
#define ZDU_LOG_STATE_UNUSABLE "ZDU0083: "
#define ZDU_LOG_STATE_WRITTEN "ZDU0084: "
#define ZDU_LOG_STATE_WRITE_FAILED "ZDU0085: "
#define ZDU_LOG_BENCH_PREFILL "ZDU0086: "
// 0090-0099: response rewriting, error pages, properties not implemented yet
#define ZDU_LOG_COOKIE_DOMAIN_REWRITTEN "ZDU0090: "
#define ZDU_LOG_NOT_IMPLEMENTED "ZDU0091: "
// 0100-0109: hot reload
#define ZDU_LOG_RELOADED "ZDU0100: "
#define ZDU_LOG_RELOAD_REFUSED "ZDU0101: "
#define ZDU_LOG_SWITCH_FAILED "ZDU0102: "
#define ZDU_LOG_SWITCHED "ZDU0103: "
#define ZDU_LOG_RELOAD_FAILED "ZDU0104: "
#define ZDU_LOG_POLICY_DIR "ZDU0105: "
// 0110-0119: workers and balancers added while the server runs
#define ZDU_LOG_WORKER_ADDED "ZDU0110: "
#define ZDU_LOG_GROWTH_USED_UP "ZDU0111: "
#define ZDU_LOG_SPARE_CLAIMED "ZDU0112: "
#define ZDU_LOG_SPARES_USED_UP "ZDU0113: "
#define ZDU_LOG_BALANCER_SYNC_FAILED "ZDU0114: "
#define ZDU_LOG_WORKER_ADD_FAILED "ZDU0115: "
// 0130-0139: drain lifecycle, the session sweep, the drained command
#define ZDU_LOG_INSTANCE_DRAINED "ZDU0130: "
#define ZDU_LOG_DRAINED_COMMAND_STARTED "ZDU0131: "
#define ZDU_LOG_DRAINED_COMMAND_EXITED "ZDU0132: "
#define ZDU_LOG_DRAINED_COMMAND_FAILED "ZDU0133: "
#define ZDU_LOG_INSTANCE_DRAINING "ZDU0134: "
#define ZDU_LOG_INSTANCE_ACTIVE "ZDU0135: "
#define ZDU_LOG_SWEEP_FAILED "ZDU0136: "
// 0140-0149: sessions on the request path (tracking, side door, stale sessions, version pin)
#define ZDU_LOG_SESSION_TABLE_FULL "ZDU0140: "
#define ZDU_LOG_SESSION_ENDED "ZDU0141: "
#define ZDU_LOG_SIDE_DOOR_IGNORED "ZDU0142: "
#define ZDU_LOG_SIDE_DOOR "ZDU0143: "
#define ZDU_LOG_STALE_SESSION "ZDU0144: "
#define ZDU_LOG_PIN_REFUSED "ZDU0145: "
// 0150-0159: config push through the manager (push-validate, push-commit)
#define ZDU_LOG_PUSH_REFUSED "ZDU0150: "
#define ZDU_LOG_PUSH_VALIDATED "ZDU0151: "
#define ZDU_LOG_PUSH_COMMITTED "ZDU0152: "
#define ZDU_LOG_PUSH_INVALID "ZDU0153: "
#define ZDU_LOG_PUSH_WRITE_FAILED "ZDU0154: "
