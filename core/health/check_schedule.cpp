#include "health/check_schedule.hpp"

namespace zdu::health {

bool CheckSchedule::due(std::int64_t now_ms) {
    if (started_ && now_ms < next_ms_) return false;
    const bool on_time = started_ && now_ms - next_ms_ < interval_ms_;
    next_ms_ = (on_time ? next_ms_ : now_ms) + interval_ms_;
    started_ = true;
    return true;
}

}  // namespace zdu::health
