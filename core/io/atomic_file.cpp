#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace zdu::io {
namespace {

WriteResult failure(WriteStep step, const std::string& what, const std::string& path, int error) {
    WriteResult r;
    r.step = step;
    r.path = path;
    r.error = error;
    r.message = what + " " + path + ": " + std::strerror(error);
    return r;
}

// False with errno on a write that will not complete.
bool write_all(int fd, std::string_view text) {
    while (!text.empty()) {
        ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) {
            errno = EIO;
            return false;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// A name nobody can guess, so no link or file can be planted at it beforehand (a root writer
// in a directory the httpd user can write to).
std::string random_suffix() {
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    unsigned char bytes[12];
    std::size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // no entropy source: O_EXCL still keeps the name safe, just guessable
        got += static_cast<std::size_t>(n);
    }
    std::string s;
    for (std::size_t i = 0; i < sizeof bytes; ++i) {
        unsigned v = i < got ? bytes[i] : static_cast<unsigned>(std::rand());
        s += alphabet[v % (sizeof alphabet - 1)];
    }
    return s;
}

// Writes `text` into a new temp file beside `path`; its name in `temp`. `like`: an existing
// file whose mode and owner the new one takes (as far as the options ask and the OS allows).
WriteResult write_temp(const std::string& path, std::string_view text, const struct stat* like,
                       const AtomicWriteOptions& options, std::string& temp) {
    int fd = -1;
    // The real mode is set below; until then only the writer can read the file.
    const mode_t create_mode = like && options.keep_mode ? 0600 : options.new_file_mode;
    for (int attempt = 0; fd < 0; ++attempt) {
        temp = path + ".tmp." + random_suffix();
        fd =
            ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, create_mode);
        if (fd < 0 && (errno != EEXIST || attempt == 100)) {
            WriteResult r = failure(WriteStep::Create, "cannot create", temp, errno);
            temp.clear();  // nothing of ours to remove
            return r;
        }
    }
    WriteResult r;
    if (!write_all(fd, text)) r = failure(WriteStep::Write, "cannot write", temp, errno);
    // An operator running a command through sudo on another account's file must leave it that
    // account's. Only root may give a file away; anyone else keeps their own (see the header).
    if (r.ok() && like && options.keep_owner) (void)::fchown(fd, like->st_uid, like->st_gid);
    // After fchown, which clears set-id bits; and whatever the umask narrowed.
    if (r.ok() && like && options.keep_mode &&
        ::fchmod(fd, static_cast<mode_t>(like->st_mode & 07777)) != 0)
        r = failure(WriteStep::Write, "cannot chmod", temp, errno);
    // Without fsync a crash after the rename could leave an empty file under the real name.
    if (r.ok() && ::fsync(fd) != 0) r = failure(WriteStep::Write, "cannot sync", temp, errno);
    if (::close(fd) != 0 && r.ok()) r = failure(WriteStep::Write, "cannot close", temp, errno);
    return r;
}

WriteResult read_all(const std::string& path, std::string& text) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return failure(WriteStep::ReadOld, "cannot read", path, errno);
    char buf[65536];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            WriteResult r = failure(WriteStep::ReadOld, "cannot read", path, errno);
            ::close(fd);
            return r;
        }
        if (n == 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return {};
}

// The bytes `path` holds now, kept as `path`.bak before the rename replaces them.
WriteResult keep_backup(const std::string& path, const struct stat& old,
                        const AtomicWriteOptions& options) {
    const std::string backup = path + ".bak";
    if (options.backup == Backup::HardLink) {
        // A second name of the old inode, made under a temp name and renamed over the .bak, so
        // there is always a .bak and writers that run at once do not trip over each other's.
        std::string temp;
        for (int attempt = 0;; ++attempt) {
            temp = backup + ".tmp." + random_suffix();
            if (::link(path.c_str(), temp.c_str()) == 0) break;
            // ENOENT: Linux's link() can miss a name another writer is renaming over just then.
            if ((errno != EEXIST && errno != ENOENT) || attempt == 100)
                return failure(WriteStep::Backup, "cannot keep the previous copy as", backup,
                               errno);
        }
        if (::rename(temp.c_str(), backup.c_str()) != 0) {
            WriteResult r = failure(WriteStep::Backup, "cannot rename to", backup, errno);
            ::unlink(temp.c_str());
            return r;
        }
        // Where the .bak already was this inode, rename does nothing and leaves the temp name.
        ::unlink(temp.c_str());
        return {};
    }
    std::string bytes;
    if (WriteResult r = read_all(path, bytes); !r.ok()) return r;
    std::string temp;
    if (WriteResult r = write_temp(backup, bytes, &old, options, temp); !r.ok()) {
        if (!temp.empty()) ::unlink(temp.c_str());
        r.step = WriteStep::Backup;
        return r;
    }
    if (::rename(temp.c_str(), backup.c_str()) != 0) {
        WriteResult r = failure(WriteStep::Backup, "cannot rename to", backup, errno);
        ::unlink(temp.c_str());
        return r;
    }
    return {};
}

// A rename is an entry in the directory: until the directory is synced a crash may lose it
// (the old file back, or with it the .bak), however well the file itself was synced.
std::string sync_directory(const std::string& path) {
    const std::string::size_type slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "."
                            : slash == 0               ? "/"
                                                       : path.substr(0, slash);
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return "cannot open " + dir + ": " + std::strerror(errno);
    std::string error;
    // EINVAL: a file system that cannot sync a directory (nothing more to be had there).
    if (::fsync(fd) != 0 && errno != EINVAL)
        error = "cannot sync " + dir + ": " + std::strerror(errno);
    ::close(fd);
    return error;
}

}  // namespace

WriteResult write_file_atomically(const std::string& given, std::string_view text,
                                  const AtomicWriteOptions& options) {
    std::string path = given;
    if (options.resolve_symlink) {
        if (char* real = ::realpath(given.c_str(), nullptr)) {
            path = real;
            std::free(real);
        }
    }
    struct stat st {};
    bool exists = ::lstat(path.c_str(), &st) == 0;
    // An unresolved link is replaced like a missing file: nothing of it is copied or followed.
    if (exists && S_ISLNK(st.st_mode)) exists = false;
    if (exists && !S_ISREG(st.st_mode)) {
        WriteResult r = failure(WriteStep::NotRegular, "cannot replace", path,
                                S_ISDIR(st.st_mode) ? EISDIR : EINVAL);
        if (!S_ISDIR(st.st_mode)) r.message = "cannot replace " + path + ": not a regular file";
        return r;
    }

    // Same directory as `path`, so the rename stays on one file system and is atomic.
    std::string temp;
    WriteResult r = write_temp(path, text, exists ? &st : nullptr, options, temp);
    if (r.ok() && exists && options.backup != Backup::None) r = keep_backup(path, st, options);
    if (r.ok() && ::rename(temp.c_str(), path.c_str()) != 0)
        r = failure(WriteStep::Rename, "cannot rename " + temp + " to", path, errno);
    if (!r.ok()) {
        if (!temp.empty()) ::unlink(temp.c_str());
        return r;
    }
    r.target = path;
    r.directory_sync_error = sync_directory(path);
    return r;
}

}  // namespace zdu::io
