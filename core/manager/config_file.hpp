// Writing a pushed loadbalancer.xml over ZduConfigFile so that no reader (the poller of
// another process, an operator, a restart) ever sees a half-written file, and the previous
// copy stays at hand for a rollback by hand.
#pragma once

#include <string>
#include <string_view>

namespace zdu::manager {

// Writes `text` to a temporary file in the directory of `path` (so the rename cannot cross
// file systems), flushes it to disk, copies the current `path` (if any) to `path`.bak, renames
// the temporary file over `path` and syncs the directory (io::write_file_atomically). A
// symlinked `path` stays a link: its target is replaced. Empty on success; otherwise why, with
// `path` as it was and no temporary file left behind. Run as the httpd user, the new file is
// that user's (it may not give it to another owner).
std::string replace_file(const std::string& path, std::string_view text);

}  // namespace zdu::manager
