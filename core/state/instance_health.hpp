// Health of an instance as every process sees it, kept in its shared record. Transitions are
// compare-and-swap, so exactly one process or thread reports each change (and logs it).
#pragma once

#include <cstdint>
#include <string_view>

#include "state/shared_records.hpp"

namespace zdu::state {

enum class Failure : std::uint32_t {
    None = 0,
    Connect = 1,      // connect refused or failed
    Timeout = 2,      // response-timeout-in-seconds passed
    Reset = 3,        // connection reset / bad response
    CheckFailed = 4,  // active health check failed
};

std::string_view failure_name(Failure f);

inline bool is_healthy(const SharedRecord& r) {
    return r.unhealthy_since_ms.load(std::memory_order_relaxed) == 0;
}

// Records the failure; true when this call turned a healthy instance unhealthy.
bool mark_unhealthy(SharedRecord& r, Failure why, std::int64_t now_ms);

// True when this call turned an unhealthy instance healthy; adds the period to the total.
// Its failed checks and its failures in a row start again from zero.
bool mark_healthy(SharedRecord& r, std::int64_t now_ms);

// The moving average after one more sample (1/8 weight for the new sample; the first sample
// is taken as it is).
std::uint64_t folded_response_time(std::uint64_t average, std::uint64_t micros);

// Folds one response time into the record's average; a compare-and-swap loop, so concurrent
// samples from other threads and processes are not lost.
void note_response_time(SharedRecord& r, std::uint64_t micros);

inline AdminState admin_state(const SharedRecord& r) {
    return static_cast<AdminState>(r.admin_state.load(std::memory_order_relaxed));
}

}  // namespace zdu::state
