#include "health/cancel_signal.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace zdu::health {

CancelSignal::CancelSignal() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
        throw std::system_error(errno, std::generic_category(), "pipe2");
    }
    read_fd_ = fds[0];
    write_fd_ = fds[1];
}

CancelSignal::~CancelSignal() {
    ::close(read_fd_);
    ::close(write_fd_);
}

void CancelSignal::fire() {
    // The byte is never read, so the pipe stays readable; a full pipe (EAGAIN) is fired too.
    const char byte = 1;
    ssize_t rc;
    do {
        rc = ::write(write_fd_, &byte, 1);
    } while (rc < 0 && errno == EINTR);
}

bool CancelSignal::fired() const {
    pollfd p{read_fd_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
}

}  // namespace zdu::health
