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

// The bytes of `path`; false with `why` when it cannot be read.
bool read_text_file(const std::string& path, std::string& text, std::string& why);

}  // namespace lbxml_gen
