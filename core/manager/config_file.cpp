#include "manager/config_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace zdu::manager {
namespace {

std::string failed(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

// False with errno on a short write that will not complete.
bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Writes `text` into a new file made from `pattern` (mkstemp), synced; its name in `pattern`.
std::string write_temp(std::vector<char>& pattern, std::string_view text, mode_t mode) {
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) return failed("cannot create a temporary file beside", pattern.data());
    std::string temp(pattern.data());
    // mkstemp makes 0600; the file keeps the mode the operator gave the original.
    bool ok = ::fchmod(fd, mode) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
    int saved = errno;
    if (::close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        ::unlink(temp.c_str());
        errno = saved;
        return failed("cannot write", temp);
    }
    return {};
}

// The previous content as path.bak, itself replaced atomically (a hard link would share the
// inode the rename is about to detach, which is fine, but fails across some file systems).
std::string keep_backup(const std::string& path, const std::string& dir_pattern) {
    int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return errno == ENOENT ? std::string() : failed("cannot read", path);
    std::string old;
    char buf[65536];
    ssize_t n;
    while ((n = ::read(in, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int saved = errno;
            ::close(in);
            errno = saved;
            return failed("cannot read", path);
        }
        old.append(buf, static_cast<std::size_t>(n));
    }
    struct stat st {};
    mode_t mode = ::fstat(in, &st) == 0 ? (st.st_mode & 07777) : 0644;
    ::close(in);
    std::vector<char> pattern(dir_pattern.begin(), dir_pattern.end());
    pattern.push_back('\0');
    if (std::string e = write_temp(pattern, old, mode); !e.empty()) return e;
    std::string bak = path + ".bak";
    if (::rename(pattern.data(), bak.c_str()) != 0) {
        std::string e = failed("cannot rename to", bak);
        ::unlink(pattern.data());
        return e;
    }
    return {};
}

}  // namespace

std::string replace_file(const std::string& given, std::string_view text) {
    // A ZduConfigFile that is a symlink (into a release directory, a checkout) keeps being one:
    // the file it points to is replaced, with its .bak beside it, not the link by a copy.
    std::string path = given;
    if (char* real = ::realpath(given.c_str(), nullptr)) {
        path = real;
        std::free(real);
    }
    std::string base = path.substr(path.find_last_of('/') + 1);
    std::string dir = path.substr(0, path.size() - base.size());
    std::string pattern_text = dir + "." + base + ".XXXXXX";
    struct stat st {};
    mode_t mode = ::stat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0644;
    std::vector<char> pattern(pattern_text.begin(), pattern_text.end());
    pattern.push_back('\0');
    if (std::string e = write_temp(pattern, text, mode); !e.empty()) return e;
    std::string temp(pattern.data());
    if (std::string e = keep_backup(path, pattern_text); !e.empty()) {
        ::unlink(temp.c_str());
        return e;
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        std::string e = failed("cannot rename over", path);
        ::unlink(temp.c_str());
        return e;
    }
    return {};
}

}  // namespace zdu::manager
