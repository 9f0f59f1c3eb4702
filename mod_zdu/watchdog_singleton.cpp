#include "mod_zdu/watchdog_singleton.hpp"

namespace zdu::glue {

WatchdogResult register_singleton(const char* name, ap_watchdog_callback_fn_t* callback,
                                  apr_pool_t* pconf, apr_status_t& rv) {
    auto* get_instance = APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_get_instance);
    auto* register_callback = APR_RETRIEVE_OPTIONAL_FN(ap_watchdog_register_callback);
    if (!get_instance || !register_callback) return WatchdogResult::NoWatchdog;
    ap_watchdog_t* watchdog = nullptr;
    rv = get_instance(&watchdog, name, 0, 1, pconf);
    if (rv == APR_SUCCESS) rv = register_callback(watchdog, AP_WD_TM_SLICE, nullptr, callback);
    return rv == APR_SUCCESS ? WatchdogResult::Registered : WatchdogResult::Failed;
}

}  // namespace zdu::glue
