// Which instances the router may use for one request.
#include <catch2/catch.hpp>

#include "routing/instance_availability.hpp"

using namespace zdu;
using routing::Availability;
using state::AdminState;

namespace {
routing::InstanceFacts healthy_instance() {
    routing::InstanceFacts f;
    f.has_worker = true;
    f.healthy = true;
    return f;
}
}  // namespace

TEST_CASE("a healthy instance is as usable as its worker", "[routing][availability]") {
    CHECK(routing::availability(healthy_instance()) == Availability::IfWorkerUsable);
    routing::InstanceFacts disabled = healthy_instance();
    disabled.admin = AdminState::Disabled;  // still serves its sessions
    CHECK(routing::availability(disabled) == Availability::IfWorkerUsable);
}

TEST_CASE("no worker, stopped, or already tried by this request: out", "[routing][availability]") {
    routing::InstanceFacts f = healthy_instance();
    f.has_worker = false;
    CHECK(routing::availability(f) == Availability::Out);
    f = healthy_instance();
    f.admin = AdminState::Stopped;
    CHECK(routing::availability(f) == Availability::Out);
    f = healthy_instance();
    f.tried = true;
    CHECK(routing::availability(f) == Availability::Out);
}

TEST_CASE("an unhealthy instance comes back by its checker or its retry interval",
          "[routing][availability]") {
    routing::InstanceFacts f = healthy_instance();
    f.healthy = false;
    CHECK(routing::availability(f) == Availability::RetryAfterInterval);
    f.active_checks = true;
    CHECK(routing::availability(f) == Availability::Out);
}

TEST_CASE("serving sessions and taking new ones", "[routing][availability]") {
    CHECK(routing::may_serve(true, false));
    CHECK_FALSE(routing::may_serve(true, true));
    CHECK_FALSE(routing::may_serve(false, false));
    CHECK(routing::may_take(true, true, 100, AdminState::Active));
    CHECK_FALSE(routing::may_take(true, false, 100, AdminState::Active));
    CHECK_FALSE(routing::may_take(true, true, 0, AdminState::Active));
    CHECK_FALSE(routing::may_take(true, true, 100, AdminState::Disabled));
    CHECK_FALSE(routing::may_take(false, true, 100, AdminState::Active));
}
