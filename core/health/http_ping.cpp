#include "health/http_ping.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace zdu::health {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

struct AddrInfoDeleter {
    void operator()(addrinfo* ai) const { freeaddrinfo(ai); }
};

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

bool wait_for(int fd, short events, Clock::time_point deadline) {
    pollfd p{fd, events, 0};
    int rc;
    do {
        rc = ::poll(&p, 1, remaining_ms(deadline));
    } while (rc < 0 && errno == EINTR);
    return rc > 0;
}

std::string connect_to(const PingTarget& t, Clock::time_point deadline, int& fd_out) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    std::string port = std::to_string(t.port);
    if (int rc = getaddrinfo(t.host.c_str(), port.c_str(), &hints, &raw); rc != 0) {
        return std::string("cannot resolve ") + t.host + ": " + gai_strerror(rc);
    }
    std::unique_ptr<addrinfo, AddrInfoDeleter> ai(raw);
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return std::string("socket: ") + std::strerror(errno);
    fd_out = fd;
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) return {};
    if (errno != EINPROGRESS) return std::string("connect: ") + std::strerror(errno);
    if (!wait_for(fd, POLLOUT, deadline)) return "connect: timed out";
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    return err == 0 ? std::string() : std::string("connect: ") + std::strerror(err);
}

std::string send_all(int fd, const std::string& data, Clock::time_point deadline) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (!wait_for(fd, POLLOUT, deadline)) return "send: timed out";
        } else {
            return std::string("send: ") + std::strerror(errno);
        }
    }
    return {};
}

// Reads until the end of the status line; returns its status code or an error.
std::string read_status(int fd, Clock::time_point deadline, int& status) {
    std::string line;
    char buf[512];
    while (line.find('\n') == std::string::npos && line.size() < 4096) {
        if (!wait_for(fd, POLLIN, deadline)) return "no response within the timeout";
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n == 0) return "connection closed before a status line";
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            return std::string("recv: ") + std::strerror(errno);
        }
        line.append(buf, static_cast<std::size_t>(n));
    }
    if (line.compare(0, 5, "HTTP/") != 0 || line.size() < 12) return "not an HTTP response";
    status = std::atoi(line.c_str() + 9);
    return status >= 100 && status <= 999 ? std::string() : "bad status line";
}

}  // namespace

PingResult http_ping(const PingTarget& target, std::chrono::milliseconds timeout) {
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    PingResult result;
    int fd_raw = -1;
    result.error = connect_to(target, deadline, fd_raw);
    Fd fd(fd_raw);
    if (result.error.empty()) {
        std::string request = "GET " + target.path + " HTTP/1.1\r\nHost: " + target.host + ":" +
                              std::to_string(target.port) +
                              "\r\nProxy-ping: true\r\nUser-Agent: mod_zdu-ping\r\n"
                              "Connection: close\r\n\r\n";
        result.error = send_all(fd.get(), request, deadline);
    }
    if (result.error.empty()) result.error = read_status(fd.get(), deadline, result.status);
    result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    return result;
}

bool parse_ping_url(std::string_view url, PingTarget& out) {
    constexpr std::string_view kScheme = "http://";
    if (url.substr(0, kScheme.size()) != kScheme) return false;
    url.remove_prefix(kScheme.size());
    auto slash = url.find('/');
    std::string_view authority = url.substr(0, slash);
    auto colon = authority.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    int port = 0;
    for (char c : authority.substr(colon + 1)) {
        if (c < '0' || c > '9' || port > 65535) return false;
        port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return false;
    out.host = std::string(authority.substr(0, colon));
    out.port = static_cast<std::uint16_t>(port);
    out.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
    return true;
}

}  // namespace zdu::health
