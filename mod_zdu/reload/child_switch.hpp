// Each child follows the published config: when the generation in shared memory moves, one
// thread of the child rebuilds the runtime from the published bytes (not the file, so every
// child runs the same config) and swaps the snapshot; the child's other requests that start
// meanwhile wait for it, so none that starts after a reload runs on the config it replaced.
#pragma once

#include <mutex>
#include <string>

#include "config/model.hpp"
#include "mod_zdu/httpd.hpp"
#include "mod_zdu/reload/snapshot.hpp"
#include "state/config_region.hpp"

namespace zdu::glue {

// Request path: one acquire load; if the generation moved, switches now, or waits for the
// thread of this child that is switching (once per reload, a few ms at 1,000 instances).
void follow_published(server_rec* s);

// Builds the snapshot of `published`: its config (the file's bytes plus the instances earlier
// reloads removed and kept), the runtime and its workers. Throws std::runtime_error naming
// what is missing.
Snapshot build_snapshot(const state::PublishedConfig& published, server_rec* s);

// The config of a published generation as a child runs it: the file's model with the retained
// instances put back, disabled. Null with `error` when the bytes do not load.
config::ConfigPtr published_model(const state::PublishedConfig& published, std::string& error);

// Serialises switching (and publishing) within this child; held briefly by the thread that
// builds a snapshot.
std::mutex& switch_mutex();

}  // namespace zdu::glue
