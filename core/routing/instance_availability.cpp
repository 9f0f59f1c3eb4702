#include "routing/instance_availability.hpp"

namespace zdu::routing {

Availability availability(const InstanceFacts& facts) {
    if (!facts.has_worker || facts.tried || facts.admin == state::AdminState::Stopped) {
        return Availability::Out;
    }
    if (facts.healthy) return Availability::IfWorkerUsable;
    return facts.active_checks ? Availability::Out : Availability::RetryAfterInterval;
}

}  // namespace zdu::routing
