// One HTTP health ping: connect, send a GET with "Proxy-ping: true", read the status line.
// Health pings are not forwarding (that is mod_proxy's job): they need no pooling, no body and
// must never block longer than their timeout, so a small blocking-with-deadline client on
// POSIX sockets is enough and keeps the core free of httpd.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace zdu::health {

struct PingTarget {
    std::string host;  // a name or an address; IPv6 without brackets
    std::uint16_t port = 0;
    std::string path = "/";
};

struct PingResult {
    int status = 0;     // HTTP status; 0 when none was read
    std::string error;  // empty when a status line was read
    std::chrono::microseconds elapsed{0};

    // GlassFish's rule: a status from 100 to 500 means the instance is healthy.
    bool healthy() const { return error.empty() && status >= 100 && status <= 500; }
};

// Gives up after `timeout`, or as soon as `cancel_fd` (when not -1) becomes readable, so a
// stopping server never waits for a slow backend. Name resolution is not bounded by either:
// listeners are expected to be addresses or names the resolver answers locally.
PingResult http_ping(const PingTarget& target, std::chrono::milliseconds timeout,
                     int cancel_fd = -1);

// "http://host:port[/path]" -> target; false when it is not such a URL (https is not pinged),
// or has a space or control character anywhere.
bool parse_ping_url(std::string_view url, PingTarget& out);

}  // namespace zdu::health
