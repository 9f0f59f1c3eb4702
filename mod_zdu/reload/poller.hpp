// The reload poller: a mod_watchdog singleton (the thread of one child at a time, another
// takes over when it exits, as the health checker) that reads ZduConfigFile every
// reload-poll-interval-in-seconds of the config it serves (0: never) and publishes it when
// its content changed. Reading and hashing the file is all a poll costs while nothing changes.
#pragma once

namespace zdu::glue {

void register_reload_poller();  // from register_hooks

}  // namespace zdu::glue
