// Replacing a file so that no reader (another process, an operator, the next start) ever sees
// half of it, and a crash at any moment leaves either the old or the new bytes under the name.
//
// Owner: the new file is given the old one's owner only when the process may do so (root).
// A process running as the httpd user cannot, so a file it replaces (a pushed ZduConfigFile)
// ends up owned by the httpd user; that is why the installer keeps such a file in a state
// directory of that user rather than beside root's configuration.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace zdu::io {

enum class Backup {
    None,
    // `path`.bak becomes a second name of the replaced inode: no copy, never a moment without it.
    HardLink,
    // `path`.bak is a copy of the old bytes, itself replaced atomically (works where links do not).
    Copy,
};

struct AtomicWriteOptions {
    Backup backup = Backup::None;
    // Permission bits of a file that does not exist yet (the umask applies).
    mode_t new_file_mode = 0644;
    // An existing file keeps its permission bits and, where the process may chown, its owner.
    bool keep_mode = true;
    bool keep_owner = true;
    // A symlink at `path` keeps being one: the file it points to is replaced. Off for a writer
    // running as root in a directory another user can write to, which must not be led elsewhere.
    bool resolve_symlink = true;
};

// Where a write stopped. Every step before Rename leaves the file at `path` as it was.
enum class WriteStep {
    None,
    NotRegular,  // what is at the path is not a regular file
    Create,      // the temp file
    Write,       // writing, chmod, fsync or close of the temp file
    ReadOld,     // reading the old bytes for a Backup::Copy
    Backup,      // making `path`.bak
    Rename,      // renaming the temp file over the path
};

struct WriteResult {
    WriteStep step = WriteStep::None;
    std::string path;     // the file the failed step was about (the temp file, .bak or the target)
    int error = 0;        // errno of the failure
    std::string message;  // "<what> <path>: <errno text>"; empty on success
    // The rename happened but the directory could not be synced, so a crash may still undo it.
    // The new bytes are in place (nothing to roll back), hence not an error.
    std::string directory_sync_error;
    // The file actually replaced (the symlink's target when resolved).
    std::string target;

    bool ok() const { return step == WriteStep::None; }
};

// Writes `text` to a new temp file beside `path` (unpredictable name, O_EXCL, so nothing
// planted there is followed), syncs it, keeps the previous copy as asked, renames it over
// `path` and syncs the directory so the rename itself survives a crash. The temp file is
// removed on every failure.
WriteResult write_file_atomically(const std::string& path, std::string_view text,
                                  const AtomicWriteOptions& options = {});

}  // namespace zdu::io
