// The shared-memory block behind state::SharedTable. It is made once per server lifetime, in the
// parent's process pool, so the state of instances (first seen disabled, counters) survives
// graceful restarts; children inherit the anonymous mapping.
#pragma once

#include <cstddef>
#include <optional>

#include "mod_zdu/httpd.hpp"
#include "state/shared_records.hpp"

namespace zdu::glue {

// The table with room for at least `slots` records; null on failure (logged).
std::optional<state::SharedTable> shared_table(server_rec* s, std::size_t slots);

}  // namespace zdu::glue
