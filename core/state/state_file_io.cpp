#include "state/state_file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "io/atomic_file.hpp"

namespace zdu::state {
namespace {

std::string os_error(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

}  // namespace

std::string write_state_file(const std::string& path, const StateFile& file) {
    // Earlier writers named their temp file <path>.tmp.<pid>; one a crash left is not ours to
    // keep. Removed, never followed (it may be a link the httpd user planted there).
    ::unlink((path + ".tmp." + std::to_string(::getpid())).c_str());
    io::AtomicWriteOptions options;
    // The parent writes as root, possibly in a directory the httpd user can write to: a link
    // at `path` is replaced, never followed, and the file stays root's 0644 whatever was there.
    options.resolve_symlink = false;
    options.keep_mode = false;
    options.keep_owner = false;
    options.new_file_mode = 0644;
    // A failed directory sync after the rename leaves the new state in place: nothing to report
    // as a failure, the next write syncs again.
    return io::write_file_atomically(path, format_state_file(file), options).message;
}

StateFileRead read_state_file(const std::string& path) {
    StateFileRead read;
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        read.found = errno != ENOENT;
        if (read.found) read.error = os_error("cannot open " + path);
        return read;
    }
    read.found = true;
    std::string text;
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) read.error = os_error("cannot read " + path);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (!read.error.empty()) return read;
    read.parse = parse_state_file(text, path);
    read.error = read.parse.error;
    return read;
}

}  // namespace zdu::state
