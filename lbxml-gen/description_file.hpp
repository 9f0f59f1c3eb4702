// Files lbxml-gen writes for operators: the cluster description, edited in place, and exported
// loadbalancer.xml files. Both are written so a crash or a full disk never leaves a half file
// under the real name.
#pragma once

#include <string>

namespace lbxml_gen {

struct WriteOptions {
    // Keep what `path` held before as `path`.bak (one previous copy), so an operator can undo
    // the last edit with one mv.
    bool keep_backup = true;
    // Refuse when `path` exists (export without --force).
    bool refuse_existing = false;
    // Permission bits of a new file; an existing file keeps its own.
    unsigned mode = 0644;
};

// Writes `text` to a temp file in the directory of `path`, syncs it and renames it over `path`.
// Returns an empty string on success, else why not (the file at `path` is then untouched).
std::string write_file_atomically(const std::string& path, const std::string& text,
                                  const WriteOptions& options = {});

// An exclusive lock on the file at `path` (through symlinks) for one read-modify-write: edits
// run at once would otherwise each rename their own copy over the file and all but the last be
// lost while reporting success. Waits for the holder. A missing file takes no lock (nothing to
// edit); error() says why the lock could not be taken.
class EditLock {
  public:
    explicit EditLock(const std::string& path);
    ~EditLock();
    EditLock(const EditLock&) = delete;
    EditLock& operator=(const EditLock&) = delete;
    const std::string& error() const { return error_; }

  private:
    int fd_ = -1;
    std::string error_;
};

// The bytes of `path`; false with `why` when it cannot be read.
bool read_text_file(const std::string& path, std::string& text, std::string& why);

}  // namespace lbxml_gen
