#include "description_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "io/atomic_file.hpp"

namespace lbxml_gen {
namespace {

std::string os_error(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

}  // namespace

std::string write_file_atomically(const std::string& given, const std::string& text,
                                  const WriteOptions& options) {
    // An operator who keeps the description behind a symlink (e.g. into a git checkout) expects
    // the file it points to edited, not the link replaced by a copy.
    std::string path = given;
    if (char* real = ::realpath(given.c_str(), nullptr)) {
        path = real;
        std::free(real);
    }
    struct stat st {};
    const bool exists = ::stat(path.c_str(), &st) == 0;
    if (exists && options.refuse_existing) return given + " exists (use --force to overwrite)";
    if (exists && !S_ISREG(st.st_mode)) return path + " is not a regular file";

    zdu::io::AtomicWriteOptions io;
    io.backup = options.keep_backup ? zdu::io::Backup::HardLink : zdu::io::Backup::None;
    io.new_file_mode = static_cast<mode_t>(options.mode);
    // A directory sync that failed after the rename is not reported: the edit is in place and
    // the caller's contract is "an error leaves the file untouched".
    return zdu::io::write_file_atomically(path, text, io).message;
}

EditLock::EditLock(const std::string& path) {
    // The lock is on the inode, and every edit renames a new inode over the name: a lock taken
    // on a file that was replaced meanwhile guards nothing, so take it again on the new one.
    for (;;) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            if (errno != ENOENT) error_ = os_error("cannot open " + path);
            return;
        }
        if (::flock(fd, LOCK_EX) != 0) {
            error_ = os_error("cannot lock " + path);
            ::close(fd);
            return;
        }
        struct stat held {
        }, now{};
        if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 &&
            held.st_dev == now.st_dev && held.st_ino == now.st_ino) {
            fd_ = fd;
            return;
        }
        ::close(fd);
    }
}

EditLock::~EditLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

bool read_text_file(const std::string& path, std::string& text, std::string& why) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        why = os_error("cannot open " + path);
        return false;
    }
    text.clear();
    char buf[8192];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            why = os_error("cannot read " + path);
            ::close(fd);
            return false;
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return true;
}

}  // namespace lbxml_gen
