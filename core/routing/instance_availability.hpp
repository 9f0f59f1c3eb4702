// Whether the router may send a request to an instance, from plain facts the glue gathers from
// mod_proxy's worker, the shared record, the manager's admin state and the config. Whether the
// worker itself is usable is asked last and only when it matters: asking mod_proxy may clear
// the worker's error state once its retry interval has passed.
#pragma once

#include "state/shared_records.hpp"

namespace zdu::routing {

struct InstanceFacts {
    bool has_worker = false;     // a forwarding listener with a mod_proxy worker
    bool tried = false;          // this client request already failed on it
    bool healthy = false;        // the shared record says healthy
    bool active_checks = false;  // the cluster's checker brings unhealthy instances back
    state::AdminState admin = state::AdminState::Active;
};

enum class Availability {
    Out,                 // not for this request
    IfWorkerUsable,      // healthy: usable when mod_proxy's worker is
    RetryAfterInterval,  // unhealthy, no checker: back (and healthy) once mod_proxy's
                         // retry interval lets the worker be tried again
};

Availability availability(const InstanceFacts& facts);

// May serve requests of the sessions it has (not stopped, quiesce deadline not passed).
inline bool may_serve(bool usable, bool quiesced) {
    return usable && !quiesced;
}

// May take a session it has not seen (enabled, weight > 0, not disabled by the manager).
inline bool may_take(bool usable, bool enabled, int weight, state::AdminState admin) {
    return usable && enabled && weight > 0 && admin == state::AdminState::Active;
}

}  // namespace zdu::routing
