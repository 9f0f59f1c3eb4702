// Bench-only: fills the session table with synthetic sessions at start-up, so the benchmark can
// measure sticky requests against a table that holds a million sessions without a million
// logins first. Nothing happens unless the environment variable ZDU_BENCH_PREFILL_SESSIONS is
// set; a production server never sets it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

inline constexpr const char* kBenchPrefillVariable = "ZDU_BENCH_PREFILL_SESSIONS";

// The session id of synthetic session n: "BENCH" and n in 27 digits, zero-padded
// ("BENCH000000000000000000000000042"). Session n is bound to instance
// n % (instances of the first cluster), in config order.
std::string bench_session_id(std::uint64_t n);

// The count the variable asks for: nullopt when unset or empty; 0 when it is not a plain
// decimal number (the caller says so and ignores it).
std::optional<std::size_t> bench_prefill_count(const char* value);

// In the parent's post_config, after the runtime and the session table are built: inserts the
// sessions the variable asks for (at most the table's capacity) and logs it at notice.
void prefill_bench_sessions(server_rec* s);

}  // namespace zdu::glue
