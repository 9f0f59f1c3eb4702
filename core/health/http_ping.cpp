#include "health/http_ping.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

namespace zdu::health {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
  public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(Fd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
    Fd& operator=(Fd&& o) noexcept {
        std::swap(fd_, o.fd_);
        return *this;
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

std::string errno_text(const char* what, int err) {
    return std::string(what) + ": " + std::strerror(err);
}

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Why a wait ended without the socket being ready; empty when it is ready.
std::string wait_for(int fd, short events, Clock::time_point deadline, int cancel_fd,
                     const char* what) {
    pollfd p[2] = {{fd, events, 0}, {cancel_fd, POLLIN, 0}};
    const nfds_t n = cancel_fd >= 0 ? 2 : 1;
    int rc;
    do {
        rc = ::poll(p, n, remaining_ms(deadline));
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) return errno_text("poll", errno);
    if (n == 2 && p[1].revents != 0) return "cancelled";
    if (rc == 0) return std::string(what) + ": timed out";
    return {};
}

// Connects to one address. `final` is set when trying the next address would be pointless
// (the deadline passed, or the ping was cancelled).
std::string connect_one(const addrinfo& ai, Clock::time_point deadline, int cancel_fd, Fd& out,
                        bool& final) {
    Fd fd(::socket(ai.ai_family, ai.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai.ai_protocol));
    if (fd.get() < 0) return errno_text("socket", errno);
    if (::connect(fd.get(), ai.ai_addr, ai.ai_addrlen) != 0) {
        if (errno != EINPROGRESS) return errno_text("connect", errno);
        std::string waited = wait_for(fd.get(), POLLOUT, deadline, cancel_fd, "connect");
        if (!waited.empty()) {
            final = true;
            return waited;
        }
        int err = 0;
        socklen_t len = sizeof err;
        if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
        if (err != 0) return errno_text("connect", err);
    }
    out = std::move(fd);
    return {};
}

// A name may resolve to several addresses (localhost: ::1 and 127.0.0.1) of which only one
// is listened on, so each is tried in turn.
std::string connect_to(const PingTarget& t, Clock::time_point deadline, int cancel_fd, Fd& out) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    std::string port = std::to_string(t.port);
    if (int rc = getaddrinfo(t.host.c_str(), port.c_str(), &hints, &raw); rc != 0) {
        return "cannot resolve " + t.host + ": " + gai_strerror(rc);
    }
    std::unique_ptr<addrinfo, AddrInfoDeleter> ai(raw);
    std::string error = "no address for " + t.host;
    bool final = false;
    for (const addrinfo* a = ai.get(); a && !final; a = a->ai_next) {
        error = connect_one(*a, deadline, cancel_fd, out, final);
        if (error.empty()) break;
    }
    return error;
}

std::string send_all(int fd, const std::string& data, Clock::time_point deadline, int cancel_fd) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            std::string waited = wait_for(fd, POLLOUT, deadline, cancel_fd, "send");
            if (!waited.empty()) return waited;
        } else {
            return errno_text("send", errno);
        }
    }
    return {};
}

// Reads until the end of the status line; returns its status code or an error.
std::string read_status(int fd, Clock::time_point deadline, int cancel_fd, int& status) {
    std::string line;
    char buf[512];
    while (line.find('\n') == std::string::npos && line.size() < 4096) {
        std::string waited = wait_for(fd, POLLIN, deadline, cancel_fd, "response");
        if (!waited.empty()) return waited;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n == 0) return "connection closed before a status line";
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            return errno_text("recv", errno);
        }
        line.append(buf, static_cast<std::size_t>(n));
    }
    if (line.compare(0, 5, "HTTP/") != 0 || line.size() < 12 || line[8] != ' ') {
        return "not an HTTP response";
    }
    status = std::atoi(line.c_str() + 9);
    return status >= 100 && status <= 999 ? std::string() : "bad status line";
}

std::string host_header(const PingTarget& t) {
    bool ipv6 = t.host.find(':') != std::string::npos;
    return (ipv6 ? "[" + t.host + "]" : t.host) + ":" + std::to_string(t.port);
}

std::string request_for(const PingTarget& t) {
    return "GET " + t.path + " HTTP/1.1\r\nHost: " + host_header(t) +
           "\r\nProxy-ping: true\r\nUser-Agent: mod_zdu-ping\r\nConnection: close\r\n\r\n";
}

bool parse_port(std::string_view text, std::uint16_t& out) {
    if (text.empty() || text.size() > 5) return false;
    int port = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return false;
    out = static_cast<std::uint16_t>(port);
    return true;
}

// "host:port" or "[v6]:port" -> host (without brackets) and port.
bool split_authority(std::string_view authority, std::string& host, std::uint16_t& port) {
    std::size_t colon;
    std::string_view name;
    if (!authority.empty() && authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos || close + 1 >= authority.size() ||
            authority[close + 1] != ':') {
            return false;
        }
        name = authority.substr(1, close - 1);
        colon = close + 1;
    } else {
        colon = authority.rfind(':');
        if (colon == std::string_view::npos) return false;
        name = authority.substr(0, colon);
    }
    if (name.empty() || !parse_port(authority.substr(colon + 1), port)) return false;
    host = std::string(name);
    return true;
}

}  // namespace

PingResult http_ping(const PingTarget& target, std::chrono::milliseconds timeout, int cancel_fd) {
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    PingResult result;
    Fd fd;
    result.error = connect_to(target, deadline, cancel_fd, fd);
    if (result.error.empty()) {
        result.error = send_all(fd.get(), request_for(target), deadline, cancel_fd);
    }
    if (result.error.empty()) {
        result.error = read_status(fd.get(), deadline, cancel_fd, result.status);
    }
    result.elapsed = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
    return result;
}

bool parse_ping_url(std::string_view url, PingTarget& out) {
    constexpr std::string_view kScheme = "http://";
    if (url.substr(0, kScheme.size()) != kScheme) return false;
    // The path goes into the request line as it is: a space or a control character (a decoded
    // CR LF of the manager's url=) would end it and start headers of the caller's choosing.
    for (char c : url) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
    }
    url.remove_prefix(kScheme.size());
    auto slash = url.find('/');
    PingTarget parsed;
    if (!split_authority(url.substr(0, slash), parsed.host, parsed.port)) return false;
    parsed.path = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
    out = std::move(parsed);
    return true;
}

}  // namespace zdu::health
