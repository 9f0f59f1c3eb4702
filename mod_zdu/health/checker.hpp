// The active health checker: one for the whole server (a mod_watchdog singleton: the thread of
// one child at a time), per cluster from <health-checker url interval-in-seconds
// timeout-in-seconds>.
#pragma once

namespace zdu::glue {

// Registers the checker's hooks; called from register_hooks.
void register_health_checker();

}  // namespace zdu::glue
