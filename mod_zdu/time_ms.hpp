#pragma once

#include <cstdint>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

inline std::int64_t now_ms() {
    return static_cast<std::int64_t>(apr_time_as_msec(apr_time_now()));
}

}  // namespace zdu::glue
