// Runs health pings concurrently, one thread per ping, so a round takes as long as its slowest
// ping rather than the sum of all. Pings are keyed by the caller's id (an instance); an id
// whose ping is still running cannot start another, so a slow backend is never pinged twice at
// once. The pool itself is driven by one thread (the checker's); only the ping threads run
// beside it, and they touch nothing but their own job.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <unordered_map>
#include <vector>

#include "health/cancel_signal.hpp"
#include "health/http_ping.hpp"

namespace zdu::health {

class PingPool {
  public:
    struct Finished {
        std::size_t id;
        PingResult result;
    };

    PingPool();   // throws std::system_error when the cancel signal cannot be made
    ~PingPool();  // cancels and joins every running ping
    PingPool(const PingPool&) = delete;
    PingPool& operator=(const PingPool&) = delete;

    // Starts pinging `target` on a new thread; false (and nothing started) while the previous
    // ping of `id` is running or after stop(). Throws std::system_error when no thread can be
    // made.
    bool start(std::size_t id, PingTarget target, std::chrono::milliseconds timeout);
    bool running(std::size_t id) const { return jobs_.count(id) != 0; }
    std::size_t in_flight() const { return jobs_.size(); }

    // The pings that ended since the last call; their ids are free again.
    std::vector<Finished> collect();

    // Cancels the running pings and waits for their threads (they return at once).
    void stop();

  private:
    struct Job;
    std::unordered_map<std::size_t, std::unique_ptr<Job>> jobs_;
    CancelSignal cancel_;
};

}  // namespace zdu::health
