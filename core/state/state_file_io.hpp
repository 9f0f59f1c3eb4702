// Reading and writing the state file. A write never leaves half a file where a reader looks:
// temp file in the same directory, fsync, rename, directory fsync (io::write_file_atomically).
#pragma once

#include <string>

#include "state/state_file.hpp"

namespace zdu::state {

// Empty on success, else what failed (with the OS's reason).
std::string write_state_file(const std::string& path, const StateFile& file);

struct StateFileRead {
    bool found = false;  // false: no file (a first start), not an error
    StateFileParse parse;
    std::string error;  // unreadable or unusable: the file must be ignored
    bool usable() const { return found && error.empty(); }
};

StateFileRead read_state_file(const std::string& path);

}  // namespace zdu::state
