// Applies passive detection (core/state/passive_health.hpp) to one attempt's outcome: counts
// the failure in the instance's shared record, and takes the instance out (record unhealthy,
// mod_proxy worker in error so its retry interval holds it out without a checker) only when
// the rule says so; logs each change once.
#pragma once

#include "mod_zdu/httpd.hpp"
#include "mod_zdu/request/context.hpp"
#include "state/passive_health.hpp"

namespace zdu::glue {

state::PassiveRule passive_rule(const config::Settings& settings);

void note_attempt_failure(request_rec* r, const RequestContext& ctx, const InstanceRuntime& inst,
                          state::Failure why);

void note_attempt_success(request_rec* r, const RequestContext& ctx, const InstanceRuntime& inst);

}  // namespace zdu::glue
