// When a cluster's next health round is due: once per interval, on a steady clock. A round
// that comes late (a busy checker, a suspended process) does not cause a burst of catch-up
// rounds: the schedule restarts from the late round.
#pragma once

#include <cstdint>

namespace zdu::health {

class CheckSchedule {
  public:
    explicit CheckSchedule(std::int64_t interval_ms) : interval_ms_(interval_ms) {}

    // True when a round is due at `now_ms` (the first call always is); the next is then one
    // interval later.
    bool due(std::int64_t now_ms);

  private:
    std::int64_t interval_ms_;
    std::int64_t next_ms_ = 0;
    bool started_ = false;
};

}  // namespace zdu::health
