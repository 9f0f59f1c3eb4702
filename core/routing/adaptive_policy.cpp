#include "routing/adaptive_policy.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace zdu::routing {
namespace {

// The second draw must cost this much less to win: response times are averages of noisy
// samples, and a few percent of noise must not override the weights the first draw follows.
constexpr double kClearlyLess = 1.25;

// Random draws per candidate before falling back to a scan: with half the instances unable to
// take a session, four draws all miss one time in sixteen.
constexpr int kDraws = 4;

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Children fork from one parent, so nothing inherited tells their threads apart: the seed
// mixes a process-wide sequence with the clock at the thread's first draw.
std::uint64_t thread_seed(const void* where) {
    static std::atomic<std::uint64_t> sequence{0};
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    std::uint64_t mixed = sequence.fetch_add(1, std::memory_order_relaxed) ^
                          static_cast<std::uint64_t>(now) ^ reinterpret_cast<std::uintptr_t>(where);
    return splitmix64(mixed) | 1;  // xorshift never leaves 0
}

// xorshift64*: per-thread state, so concurrent requests share no cache line and take no lock.
std::uint64_t next_random() {
    thread_local std::uint64_t state = 0;
    if (state == 0) state = thread_seed(&state);
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1Dull;
}

// A position in [0, n) from the high bits (the best of xorshift*), without a division.
std::size_t position(std::uint64_t random, std::size_t n) {
    return static_cast<std::size_t>(((random >> 32) * static_cast<std::uint64_t>(n)) >> 32);
}

std::vector<int> weighted_schedule(const config::Cluster& cluster) {
    std::vector<int> weights;
    weights.reserve(cluster.instances.size());
    for (const auto& inst : cluster.instances) {
        weights.push_back(inst.enabled && inst.weight > 0 ? inst.weight : 0);
    }
    return build_schedule(weights);
}

}  // namespace

double adaptive_cost(const InstanceLoad& load, std::uint64_t peer_response_us) {
    std::uint64_t response = load.response_time_us ? load.response_time_us : peer_response_us;
    return static_cast<double>(load.busy + 1) *
           static_cast<double>(std::max<std::uint64_t>(response, 1));
}

AdaptivePolicy::AdaptivePolicy(const config::Cluster& cluster)
    : schedule_(weighted_schedule(cluster)) {}

int AdaptivePolicy::pick(const ClusterRoutes&, const PolicyRequest&, FunctionRef<bool(int)> takes,
                         FunctionRef<InstanceLoad(int)> load) {
    if (schedule_.empty()) return -1;
    int first = draw(takes, -1);
    if (first < 0) return scan(takes);
    int second = draw(takes, first);
    if (second < 0) return first;
    InstanceLoad a = load(first);
    InstanceLoad b = load(second);
    bool clearly_less =
        adaptive_cost(b, a.response_time_us) * kClearlyLess < adaptive_cost(a, b.response_time_us);
    return clearly_less ? second : first;
}

// An instance takes() accepts, other than `other`, drawn from the schedule; -1 after kDraws
// misses. Drawing until the instances differ keeps small clusters from comparing an instance
// with itself (with two instances, a quarter of all picks).
int AdaptivePolicy::draw(FunctionRef<bool(int)> takes, int other) const {
    for (int k = 0; k < kDraws; ++k) {
        int i = schedule_[position(next_random(), schedule_.size())];
        if (i != other && takes(i)) return i;
    }
    return -1;
}

// When the draws keep missing (most instances down or draining): the first instance that can
// take the session from a random point of the schedule, as the round-robin scans it.
int AdaptivePolicy::scan(FunctionRef<bool(int)> takes) const {
    const std::size_t n = schedule_.size();
    const std::size_t start = position(next_random(), n);
    for (std::size_t k = 0; k < n; ++k) {
        int i = schedule_[(start + k) % n];
        if (takes(i)) return i;
    }
    return -1;
}

}  // namespace zdu::routing
