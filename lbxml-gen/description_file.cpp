#include "description_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace lbxml_gen {
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

// Writes `text` into a new file `temp` (never through a link planted at that name).
std::string write_new_file(const std::string& temp, const std::string& text, unsigned mode,
                           const struct stat* owner) {
    ::unlink(temp.c_str());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    static_cast<mode_t>(mode));
    if (fd < 0) return os_error("cannot create " + temp);
    std::string error;
    if (!write_all(fd, text)) error = os_error("cannot write " + temp);
    // An operator running the command through sudo on a file another account owns must leave it
    // that account's, or its owner can no longer edit it. Best effort: only root may give a
    // file away, and a file that keeps the editor as owner is still a correct edit.
    if (error.empty() && owner) (void)::fchown(fd, owner->st_uid, owner->st_gid);
    // The umask may have narrowed the mode; an edited file keeps the owner's chosen bits.
    if (error.empty() && ::fchmod(fd, static_cast<mode_t>(mode)) != 0)
        error = os_error("cannot chmod " + temp);
    // Without fsync a crash after the rename could leave an empty file under the real name.
    if (error.empty() && ::fsync(fd) != 0) error = os_error("cannot sync " + temp);
    if (::close(fd) != 0 && error.empty()) error = os_error("cannot close " + temp);
    return error;
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
    unsigned mode = exists ? (st.st_mode & 07777) : options.mode;

    // Same directory as `path`, so the rename stays on one file system and is atomic.
    const std::string temp = path + ".tmp." + std::to_string(::getpid());
    std::string error = write_new_file(temp, text, mode, exists ? &st : nullptr);
    if (error.empty() && exists && options.keep_backup) {
        // A hard link keeps the old bytes under .bak without copying and without a moment when
        // `path` is missing; the rename below then replaces only the name `path`.
        const std::string backup = path + ".bak";
        if (::unlink(backup.c_str()) != 0 && errno != ENOENT) {
            error = os_error("cannot remove " + backup);
        } else if (::link(path.c_str(), backup.c_str()) != 0) {
            error = os_error("cannot keep the previous copy as " + backup);
        }
    }
    if (error.empty() && ::rename(temp.c_str(), path.c_str()) != 0)
        error = os_error("cannot rename " + temp + " to " + path);
    if (!error.empty()) ::unlink(temp.c_str());
    return error;
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
