// Which attempts count against an instance, from the facts mod_proxy leaves.
#include <catch2/catch.hpp>

#include "routing/failure_class.hpp"

using namespace zdu;
using routing::AttemptFacts;
using state::Failure;

namespace {
AttemptFacts facts(bool timed_out, bool worker_in_error, int status, bool error_notes) {
    AttemptFacts f;
    f.timed_out = timed_out;
    f.worker_in_error = worker_in_error;
    f.status = status;
    f.error_notes = error_notes;
    return f;
}
}  // namespace

TEST_CASE("a response timeout is a timeout whatever the status", "[routing][failure]") {
    CHECK(routing::classify(facts(true, false, 502, true)) == Failure::Timeout);
    CHECK(routing::classify(facts(true, true, 503, false)) == Failure::Timeout);
}

TEST_CASE("a 503 with the worker put in error is a connect failure", "[routing][failure]") {
    CHECK(routing::classify(facts(false, true, 503, false)) == Failure::Connect);
}

TEST_CASE("other proxy-made 5xx are resets", "[routing][failure]") {
    CHECK(routing::classify(facts(false, false, 502, true)) == Failure::Reset);
    CHECK(routing::classify(facts(false, true, 500, false)) == Failure::Reset);
    CHECK(routing::classify(facts(false, true, 503, true)) == Failure::Reset);
}

TEST_CASE("what the application answered is no failure", "[routing][failure]") {
    auto answered = [](int status, bool worker_in_error) {
        AttemptFacts f = facts(false, worker_in_error, status, false);
        f.answered = true;
        return f;
    };
    CHECK(routing::classify(facts(false, false, 200, false)) == Failure::None);
    CHECK(routing::classify(answered(500, false)) == Failure::None);
    CHECK(routing::classify(answered(503, false)) == Failure::None);
    CHECK(routing::classify(facts(false, true, 404, false)) == Failure::None);
}

TEST_CASE("a timeout that is not retried answers 504", "[routing][failure]") {
    CHECK(routing::client_status(Failure::Timeout, 502) == 504);
    CHECK(routing::client_status(Failure::Reset, 502) == 502);
    CHECK(routing::client_status(Failure::Connect, 503) == 503);
    CHECK(routing::client_status(Failure::None, 503) == 503);
}
