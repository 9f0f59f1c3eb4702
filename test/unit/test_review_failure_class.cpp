// A 5xx without a response from the backend is the proxy's whatever notes it left; one the
// application answered is never an instance failure, even while mod_proxy has the worker in
// error for another request.
#include <catch2/catch.hpp>

#include "routing/failure_class.hpp"

using namespace zdu;
using routing::AttemptFacts;
using state::Failure;

TEST_CASE("a failed send of the request body is a reset", "[routing][failure]") {
    // mod_proxy's "pass request body failed": 502, or 504 on a timeout, no error-notes.
    AttemptFacts f;
    f.status = 502;
    CHECK(routing::classify(f) == Failure::Reset);
    f.status = 504;
    CHECK(routing::classify(f) == Failure::Reset);
}

TEST_CASE("an application's 503 is no connect failure while the worker is in error",
          "[routing][failure]") {
    AttemptFacts f;
    f.status = 503;
    f.worker_in_error = true;  // another request's connect failure, in another process
    f.answered = true;
    CHECK(routing::classify(f) == Failure::None);
    f.answered = false;
    CHECK(routing::classify(f) == Failure::Connect);
}

TEST_CASE("a timeout stays a timeout even once answered", "[routing][failure]") {
    AttemptFacts f;
    f.timed_out = true;
    f.status = 502;
    CHECK(routing::classify(f) == Failure::Timeout);
}
