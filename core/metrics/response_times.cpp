#include "metrics/response_times.hpp"

namespace zdu::metrics {

constexpr auto relaxed = std::memory_order_relaxed;

void note_answer_time(state::SharedRecord& r, std::uint64_t micros) {
    r.answer_total_us.fetch_add(micros, relaxed);
    r.answered.fetch_add(1, relaxed);
    std::uint64_t max = r.answer_max_us.load(relaxed);
    // On failure compare_exchange_weak reloads `max`: a larger sample of another thread wins.
    while (micros > max && !r.answer_max_us.compare_exchange_weak(max, micros, relaxed)) {
    }
    // 0 stands for "none yet", so a request under a microsecond counts as one.
    const std::uint64_t sample = micros == 0 ? 1 : micros;
    std::uint64_t min = r.answer_min_us.load(relaxed);
    while ((min == 0 || sample < min) &&
           !r.answer_min_us.compare_exchange_weak(min, sample, relaxed)) {
    }
}

AnswerTimes answer_times(const state::SharedRecord& r) {
    return {r.answered.load(relaxed), r.answer_total_us.load(relaxed),
            r.answer_max_us.load(relaxed), r.answer_min_us.load(relaxed)};
}

std::uint64_t average_us(const AnswerTimes& t) {
    return t.count == 0 ? 0 : t.total_us / t.count;
}

}  // namespace zdu::metrics
