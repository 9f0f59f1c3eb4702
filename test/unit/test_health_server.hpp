// A tiny HTTP server on 127.0.0.1 for the health ping tests: answers every request with a fixed
// status, or misbehaves in one of the ways a sick backend does.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "health/cancel_signal.hpp"

namespace zdu::test {

class TestServer {
  public:
    enum class Mode {
        Answer,  // "HTTP/1.1 <status> …" after reading the request
        Silent,  // never accepts: connects succeed (the backlog), nothing is ever answered
        Close,   // reads the request and closes without an answer
        Garbage  // answers something that is not HTTP
    };

    explicit TestServer(Mode mode, int status = 200) : mode_(mode), status_(status) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
            ::listen(fd_, 16) != 0 ||
            ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            throw std::runtime_error("test server: cannot listen");
        }
        port_ = ntohs(addr.sin_port);
        if (mode_ != Mode::Silent) thread_ = std::thread([this] { serve(); });
    }

    ~TestServer() {
        stop_.fire();
        if (thread_.joinable()) thread_.join();
        ::close(fd_);
    }

    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    std::uint16_t port() const { return port_; }
    int accepted() const { return accepted_.load(); }
    std::string last_request() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return last_request_;
    }

    // A port nothing listens on (bound for a moment, then released): connects are refused.
    static std::uint16_t closed_port() {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
        ::close(fd);
        return ntohs(addr.sin_port);
    }

  private:
    void serve() {
        pollfd p[2] = {{fd_, POLLIN, 0}, {stop_.fd(), POLLIN, 0}};
        while (::poll(p, 2, -1) > 0 && p[1].revents == 0) {
            int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
            if (client < 0) continue;
            ++accepted_;
            handle(client);
            ::close(client);
        }
    }

    void handle(int client) {
        std::string request = read_request(client);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            last_request_ = request;
        }
        if (mode_ == Mode::Close) return;
        std::string answer = mode_ == Mode::Garbage
                                 ? std::string("SSH-2.0-OpenSSH\r\n")
                                 : "HTTP/1.1 " + std::to_string(status_) +
                                       " Test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        ::send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
    }

    static std::string read_request(int client) {
        std::string request;
        char buf[1024];
        pollfd p{client, POLLIN, 0};
        while (request.find("\r\n\r\n") == std::string::npos && ::poll(&p, 1, 2000) > 0) {
            ssize_t n = ::recv(client, buf, sizeof buf, 0);
            if (n <= 0) break;
            request.append(buf, static_cast<std::size_t>(n));
        }
        return request;
    }

    Mode mode_;
    int status_;
    int fd_ = -1;
    std::uint16_t port_ = 0;
    std::atomic<int> accepted_{0};
    mutable std::mutex mutex_;
    std::string last_request_;
    health::CancelSignal stop_;
    std::thread thread_;
};

}  // namespace zdu::test
