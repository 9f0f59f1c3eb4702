#pragma once

#include <chrono>
#include <cstdint>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

inline std::int64_t now_ms() {
    return static_cast<std::int64_t>(apr_time_as_msec(apr_time_now()));
}

// A monotonic clock, for schedules (watchdog ticks): wall-clock steps never move them.
inline std::int64_t steady_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace zdu::glue
