#include "manager/config_file.hpp"

#include <cstring>

#include "io/atomic_file.hpp"

namespace zdu::manager {

std::string replace_file(const std::string& path, std::string_view text) {
    io::AtomicWriteOptions options;
    // A ZduConfigFile that is a symlink (into a release directory, a checkout) keeps being one:
    // the file it points to is replaced, with its .bak beside it, not the link by a copy.
    options.resolve_symlink = true;
    // A copy rather than a hard link: a link needs the httpd user to own the file or have
    // write access to it (fs.protected_hardlinks), which a copy does not.
    options.backup = io::Backup::Copy;
    const io::WriteResult r = io::write_file_atomically(path, text, options);
    const std::string why = r.error ? std::strerror(r.error) : "";
    switch (r.step) {
        case io::WriteStep::None:
            // The new file is in place; a directory sync that failed cannot be undone, and the
            // answer "not applied, untouched" would be false.
            return {};
        case io::WriteStep::Create:
            return "cannot create a temporary file beside " + path + ": " + why;
        case io::WriteStep::NotRegular:
        case io::WriteStep::ReadOld:
            return "cannot read " + r.path + ": " + why;
        case io::WriteStep::Rename:
            return "cannot rename over " + r.path + ": " + why;
        default:
            return r.message;
    }
}

}  // namespace zdu::manager
