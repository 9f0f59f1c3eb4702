#include "health/ping_pool.hpp"

#include <atomic>
#include <thread>
#include <utility>

namespace zdu::health {

struct PingPool::Job {
    PingResult result;  // written by the ping thread before `done`
    std::atomic<bool> done{false};
    std::thread thread;
};

PingPool::PingPool() = default;

PingPool::~PingPool() {
    stop();
}

bool PingPool::start(std::size_t id, PingTarget target, std::chrono::milliseconds timeout) {
    if (running(id) || cancel_.fired()) return false;
    // The job is in the map before its thread exists: a joinable thread must never be dropped.
    Job* job = jobs_.emplace(id, std::make_unique<Job>()).first->second.get();
    const int cancel_fd = cancel_.fd();
    try {
        job->thread = std::thread([job, target = std::move(target), timeout, cancel_fd] {
            job->result = http_ping(target, timeout, cancel_fd);
            job->done.store(true, std::memory_order_release);
        });
    } catch (...) {
        jobs_.erase(id);
        throw;
    }
    return true;
}

std::vector<PingPool::Finished> PingPool::collect() {
    std::vector<Finished> finished;
    for (auto it = jobs_.begin(); it != jobs_.end();) {
        Job& job = *it->second;
        if (!job.done.load(std::memory_order_acquire)) {
            ++it;
            continue;
        }
        job.thread.join();
        finished.push_back({it->first, std::move(job.result)});
        it = jobs_.erase(it);
    }
    return finished;
}

void PingPool::stop() {
    cancel_.fire();
    for (auto& [id, job] : jobs_) job->thread.join();
    jobs_.clear();
}

}  // namespace zdu::health
