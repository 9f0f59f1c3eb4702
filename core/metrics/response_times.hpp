// How long client requests took, kept in a shared record (an instance's, a web-module's): a
// count, a sum, a maximum and a minimum, each a lock-free atomic, so any child may add a sample at
// once. The average is the sum over the count; both only grow, so a scrape can difference them.
#pragma once

#include <cstdint>

#include "state/shared_records.hpp"

namespace zdu::metrics {

// Adds one request that took `micros`.
void note_answer_time(state::SharedRecord& r, std::uint64_t micros);

struct AnswerTimes {
    std::uint64_t count = 0;
    std::uint64_t total_us = 0;
    std::uint64_t max_us = 0;
    std::uint64_t min_us = 0;  // 0 with no sample
};

AnswerTimes answer_times(const state::SharedRecord& r);

// The mean in microseconds, 0 with no sample.
std::uint64_t average_us(const AnswerTimes& t);

}  // namespace zdu::metrics
