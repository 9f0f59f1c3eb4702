// Writing a pushed loadbalancer.xml over ZduConfigFile so that no reader (the poller of
// another process, an operator, a restart) ever sees a half-written file, and the previous
// copy stays at hand for a rollback by hand.
#pragma once

#include <string>
#include <string_view>

namespace zdu::manager {

// Writes `text` to a temporary file in the directory of `path` (so the rename cannot cross
// file systems), flushes it to disk, copies the current `path` (if any) to `path`.bak, then
// renames the temporary file over `path`. Empty on success; otherwise why, with `path` as it
// was and no temporary file left behind.
std::string replace_file(const std::string& path, std::string_view text);

}  // namespace zdu::manager
