// mod_watchdog singletons (the thread of one child at a time; another child's takes over when
// it exits): the reload poller and the session sweep register theirs the same way.
#pragma once

#include "mod_zdu/httpd.hpp"

extern "C" {
#include <mod_watchdog.h>
}

namespace zdu::glue {

enum class WatchdogResult { Registered, NoWatchdog, Failed };

// Registers `callback` on the singleton watchdog `name`, called every AP_WD_TM_SLICE; from a
// post_config hook ordered before mod_watchdog's. `rv` says why on Failed.
WatchdogResult register_singleton(const char* name, ap_watchdog_callback_fn_t* callback,
                                  apr_pool_t* pconf, apr_status_t& rv);

}  // namespace zdu::glue
