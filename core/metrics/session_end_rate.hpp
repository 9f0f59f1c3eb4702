// How fast an instance loses sessions (ended by logout or idled out), smoothed over the last
// minute or so, and what that says about when a draining instance will have none left. The
// sweep samples the counters once per interval; pure arithmetic here, the record keeps it.
#pragma once

#include <cstdint>
#include <optional>

#include "state/shared_records.hpp"

namespace zdu::metrics {

// The smoothing's time constant: a sample weighs dt / (dt + kEndRateTauMs).
inline constexpr std::int64_t kEndRateTauMs = 60'000;

struct EndRate {
    std::uint64_t rate_micro = 0;  // sessions per second, in millionths
    std::uint64_t total = 0;       // ended + expired at the sample
    std::int64_t at_ms = 0;        // when sampled; 0: never
};

// The rate after a sample of `total` sessions gone so far at `now_ms`. The first sample only
// sets the base; a counter that went back (a new block) restarts from it.
EndRate next_end_rate(const EndRate& before, std::uint64_t total, std::int64_t now_ms);

// Reads the instance's ended + expired counters and updates its rate fields (the sweep, one
// thread at a time).
void sample_end_rate(state::SharedRecord& r, std::int64_t now_ms);

// Whole seconds until `sessions` are gone at `rate_micro` (rounded up); none when the rate is 0.
std::optional<std::uint64_t> drain_estimate_s(std::uint64_t sessions, std::uint64_t rate_micro);

}  // namespace zdu::metrics
