#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "state/config_region.hpp"

using namespace zdu::state;

namespace {

constexpr std::size_t round64(std::size_t n) {
    return (n + 63) / 64 * 64;
}

struct RawRegion {
    explicit RawRegion(std::size_t capacity)
        : words(ConfigRegion::bytes_for(capacity) / 8 + 8),
          region(ConfigRegion::create(base(), capacity)) {}
    void* base() {
        auto p = reinterpret_cast<std::uintptr_t>(words.data());
        return reinterpret_cast<void*>((p + 63) / 64 * 64);
    }
    // The layout config_region.cpp formats: the header, then two buffers.
    ConfigBufferHeader* buffer(std::uint32_t i, std::size_t capacity) {
        char* b = static_cast<char*>(base()) + round64(sizeof(ConfigRegionHeader));
        return reinterpret_cast<ConfigBufferHeader*>(
            b + i * round64(sizeof(ConfigBufferHeader) + capacity));
    }
    std::vector<std::uint64_t> words;
    ConfigRegion region;
};

// read() on another thread, given a second to return.
std::optional<PublishedConfig> read_within_a_second(const ConfigRegion& region) {
    struct Shared {
        std::atomic<bool> done{false};
        std::optional<PublishedConfig> value;
    };
    auto shared = std::make_shared<Shared>();
    std::thread([shared, region] {
        shared->value = region.read();
        shared->done.store(true);
    }).detach();
    for (int i = 0; i < 100 && !shared->done.load(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!shared->done.load()) return std::nullopt;
    return shared->value;
}

}  // namespace

// A publisher runs in a child (cmd=reload, the poller) and can die half way through a publish
// (killed, crashed), leaving the buffer it wrote with an odd sequence. The next publish writes
// that same buffer: it must leave it even, or every reader of every child spins forever.
TEST_CASE("a publish after one that died half way leaves its buffer readable",
          "[state][reload][review]") {
    constexpr std::size_t capacity = 256;
    RawRegion m(capacity);
    ConfigRegion& r = m.region;
    REQUIRE(r.publish("<one/>", "", content_hash("<one/>"), 1) == 1);  // buffer 1
    // A publish of generation 2 into buffer 0 that died after marking it odd.
    ConfigBufferHeader* half_written = m.buffer(0, capacity);
    half_written->seq.store(half_written->seq.load() + 1);
    REQUIRE(half_written->seq.load() % 2 == 1);
    auto before = read_within_a_second(r);  // the published buffer is untouched
    REQUIRE(before.has_value());
    CHECK(before->file == "<one/>");

    REQUIRE(r.publish("<two/>", "", content_hash("<two/>"), 2) == 2);  // buffer 0 again
    CHECK(half_written->seq.load() % 2 == 0);
    auto after = read_within_a_second(r);
    REQUIRE(after.has_value());
    CHECK(after->generation == 2);
    CHECK(after->file == "<two/>");
    CHECK(r.published_hash() == content_hash("<two/>"));
}
