#include "state/state_file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace zdu::state {
namespace {

std::string os_error(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

bool write_all(int fd, const std::string& text) {
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        left -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

std::string write_state_file(const std::string& path, const StateFile& file) {
    std::string temp = path + ".tmp." + std::to_string(::getpid());
    // The parent writes as root, possibly in a directory the httpd user can write to: a link
    // (or anything else) planted at the temp name is removed, never followed or truncated.
    ::unlink(temp.c_str());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) return os_error("cannot create " + temp);
    std::string error;
    if (!write_all(fd, format_state_file(file))) error = os_error("cannot write " + temp);
    // Without fsync a crash after the rename could leave an empty file under the real name.
    if (error.empty() && ::fsync(fd) != 0) error = os_error("cannot sync " + temp);
    if (::close(fd) != 0 && error.empty()) error = os_error("cannot close " + temp);
    if (error.empty() && ::rename(temp.c_str(), path.c_str()) != 0) {
        error = os_error("cannot rename " + temp + " to " + path);
    }
    if (!error.empty()) ::unlink(temp.c_str());
    return error;
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
