#include "mod_zdu/reload/poller.hpp"

#include <chrono>
#include <exception>
#include <string>

#include "config/loader.hpp"
#include "mod_zdu/httpd.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/publisher.hpp"
#include "mod_zdu/reload/snapshot.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "mod_zdu/time_ms.hpp"
#include "mod_zdu/watchdog_singleton.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr const char* kWatchdogName = "_zdu_reload_";

// The poll interval of the config this child serves: a reload may change it.
int poll_interval_seconds() {
    SnapshotSlot* slot = pin_snapshot();
    if (!slot) return 0;
    int seconds = slot->value.runtime->settings.reload_poll_interval_seconds;
    release_snapshot(slot);
    return seconds;
}

void poll(server_rec* s) {
    // Only the watchdog thread touches it.
    static std::int64_t last_poll_ms = 0;
    follow_published(s);
    int interval = poll_interval_seconds();
    std::int64_t now = steady_ms();
    if (interval <= 0 || now - last_poll_ms < std::int64_t{interval} * 1000) return;
    last_poll_ms = now;
    std::string text, why;
    // An unreadable file goes through reload_config, which logs it once.
    if (config::read_whole_file(module_state().config_file, text, why) && file_unchanged(text))
        return;
    reload_config(s, "poll");
}

apr_status_t on_watchdog(int state, void*, apr_pool_t*) {
    if (state != AP_WATCHDOG_STATE_RUNNING) return APR_SUCCESS;
    try {
        poll(ap_server_conf);
    } catch (const std::exception& e) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, ap_server_conf,
                     ZDU_LOG_RELOAD_FAILED "reload poll: %s", e.what());
    }
    return APR_SUCCESS;
}

int post_config(apr_pool_t* pconf, apr_pool_t*, apr_pool_t*, server_rec* s) {
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) return OK;
    if (!module_state().loaded) return OK;
    apr_status_t rv = APR_SUCCESS;
    switch (register_singleton(kWatchdogName, on_watchdog, pconf, rv)) {
        case WatchdogResult::Registered:
            break;
        case WatchdogResult::NoWatchdog:
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         ZDU_LOG_RELOAD_FAILED
                         "mod_watchdog is not loaded: %s is not polled "
                         "(cmd=reload and graceful restarts still reload it)",
                         module_state().config_file.c_str());
            break;
        case WatchdogResult::Failed:
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                         ZDU_LOG_RELOAD_FAILED
                         "no watchdog for the reload poller: %s is not polled",
                         module_state().config_file.c_str());
            break;
    }
    return OK;
}

}  // namespace

void register_reload_poller() {
    // After mod_zdu's own post_config (the block, the first generation), before mod_watchdog's.
    static const char* const before_watchdog[] = {"mod_watchdog.c", nullptr};
    ap_hook_post_config(post_config, nullptr, before_watchdog, APR_HOOK_LAST);
}

}  // namespace zdu::glue
