// The session sweep: a mod_watchdog singleton ("_zdu_sweep_", the thread of one child at a
// time, as the health checker and the reload poller) that every
// session-sweep-interval-in-seconds of the config it serves removes idled-out sessions from the
// shared session table, writes what it counted into the instances' records (live and untracked
// sessions, sessions expired, the smoothed session-end rate) and moves each instance through
// active -> draining -> drained (lifecycle::next_state). The process whose compare-and-swap
// makes an instance drained logs it once and runs ZduDrainedCommand. Requests never wait on it:
// it reads and writes shared memory only.
#pragma once

namespace zdu::glue {

void register_session_sweep();  // from register_hooks

}  // namespace zdu::glue
