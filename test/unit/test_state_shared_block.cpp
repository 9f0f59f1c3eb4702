#include <catch2/catch.hpp>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "state/record_keys.hpp"
#include "state/shared_block.hpp"
#include "state/state_carry.hpp"

using namespace zdu::state;

namespace {

// 64-byte aligned memory of `bytes` bytes, as the module hands a block (aligned_span).
struct Memory {
    explicit Memory(std::size_t bytes) : words(bytes / 8 + 8), size(bytes) {}
    void* data() {
        auto p = reinterpret_cast<std::uintptr_t>(words.data());
        return reinterpret_cast<void*>((p + 63) / 64 * 64);
    }
    Superblock& super() { return *static_cast<Superblock*>(data()); }
    std::vector<std::uint64_t> words;
    std::size_t size;
};

std::string refusal(Memory& m, std::size_t bytes) {
    std::string why;
    CHECK_FALSE(SharedBlock::attach(m.data(), bytes, why).has_value());
    return why;
}

}  // namespace

TEST_CASE("a shared block is attached only with this build's layout", "[state]") {
    Memory m(SharedBlock::bytes_for(100));
    SharedBlock made = SharedBlock::create(m.data(), m.size, 100, 0x1234, 1700000000000);
    CHECK(made.record_capacity() == 128);
    made.records().claim(instance_key("c", "i"))->requests.store(7);
    made.note_admin_change();

    std::string why;
    auto again = SharedBlock::attach(m.data(), m.size, why);
    REQUIRE(again.has_value());
    CHECK(why.empty());
    CHECK(again->hash_seed() == 0x1234);
    CHECK(again->created_ms() == 1700000000000);
    CHECK(again->admin_changes() == 1);
    CHECK(again->records().find(instance_key("c", "i"))->requests.load() == 7);
    CHECK(again->session_capacity() == kDefaultSessionCapacity);
}

TEST_CASE("a shared block holds a session table on its own clock", "[state][sessions]") {
    CHECK(kLayoutVersion == 6);  // the session region, response times, the manager actions, 5xx
    Memory m(SharedBlock::bytes_for(16, 1000));
    SharedBlock made = SharedBlock::create(m.data(), m.size, 16, 1000, 9, 1700000000000);
    CHECK(made.session_capacity() == 1000);
    zdu::sessions::SessionKey k{12345};
    made.sessions().insert(k, 4, store_seconds(made, 1700000090500), 0);

    std::string why;
    auto again = SharedBlock::attach(m.data(), m.size, why);
    REQUIRE(again.has_value());
    zdu::sessions::Binding b = again->sessions().find(k);
    CHECK(b.found == zdu::sessions::Found::Live);
    CHECK(b.instance == 4);
    CHECK(b.expires == 90);
    CHECK(store_seconds(made, 1700000000999) == 0);
    CHECK(store_seconds(made, 1600000000000) == 0);  // before the block: its first second
    // The regions do not overlap: the config region still works beside the sessions.
    CHECK(made.config().capacity() == kDefaultConfigCapacity);
    CHECK(made.sessions().stats().bytes == zdu::sessions::SessionTable::bytes_for(1000));
}

TEST_CASE("a block's session table is copied into a new block's clock", "[state][sessions]") {
    Memory old_mem(SharedBlock::bytes_for(16, 100));
    SharedBlock old_block = SharedBlock::create(old_mem.data(), old_mem.size, 16, 100, 9, 1000);
    old_block.sessions().insert(zdu::sessions::SessionKey{777}, 2, 100, 0);
    old_block.sessions().insert(zdu::sessions::SessionKey{778}, 2, 30, 0);
    Memory new_mem(SharedBlock::bytes_for(32, 400));
    // 40.5 s later: deadlines move 40 s earlier (rounded so none is shortened).
    SharedBlock new_block = SharedBlock::create(new_mem.data(), new_mem.size, 32, 400, 9, 41500);
    copy_sessions(old_block, new_block);
    zdu::sessions::Binding b = new_block.sessions().find(zdu::sessions::SessionKey{777});
    CHECK(b.found == zdu::sessions::Found::Live);
    CHECK(b.expires == 60);
    // Idle before the new block was made: not carried.
    CHECK(new_block.sessions().find(zdu::sessions::SessionKey{778}).found ==
          zdu::sessions::Found::None);
}

TEST_CASE("a shared block of another layout, size or format is refused", "[state]") {
    Memory m(SharedBlock::bytes_for(64));
    SharedBlock::create(m.data(), m.size, 64, 1, 1);

    SECTION("another layout version") {
        m.super().layout_version = kLayoutVersion + 1;
        CHECK(refusal(m, m.size) == "layout " + std::to_string(kLayoutVersion + 1) +
                                        " (this build: " + std::to_string(kLayoutVersion) + ")");
    }
    SECTION("another mapping size") {
        CHECK_THAT(refusal(m, m.size - 64), Catch::StartsWith("a total size of"));
    }
    SECTION("not ours") {
        m.super().magic ^= 1;
        CHECK(refusal(m, m.size) == "not a mod_zdu block");
    }
    SECTION("another record size") {
        m.super().regions[0].entry_bytes += 8;
        CHECK_THAT(refusal(m, m.size), Catch::StartsWith("record size"));
    }
    SECTION("a records region past the end") {
        m.super().regions[0].offset = m.size;
        CHECK(refusal(m, m.size) == "a records region that does not fit the block");
    }
    SECTION("a region count out of range") {
        m.super().region_count = kMaxRegions + 1;
        CHECK(refusal(m, m.size) == "a bad region count");
    }
    SECTION("a session region of another size") {
        m.super().regions[2].bytes += 64;
        CHECK(refusal(m, m.size) == "a session region that does not fit the block");
    }
    SECTION("a session entry of another size") {
        m.super().regions[2].entry_bytes = 32;
        CHECK(refusal(m, m.size) == "a session region that does not fit the block");
    }
    SECTION("no session region") {
        m.super().regions[2].kind = static_cast<std::uint32_t>(RegionKind::Free);
        CHECK(refusal(m, m.size) == "no session region");
    }
    SECTION("no records region") {
        m.super().regions[0].kind = static_cast<std::uint32_t>(RegionKind::Free);
        CHECK(refusal(m, m.size) == "no records region");
    }
    SECTION("a superblock of another size") {
        m.super().superblock_bytes += 8;
        CHECK(refusal(m, m.size) == "a superblock of another size");
    }
    SECTION("memory smaller than a superblock") {
        CHECK(refusal(m, 16) == "a block smaller than a superblock");
    }
}

TEST_CASE("a shared block refuses memory too small for its table", "[state]") {
    Memory m(SharedBlock::bytes_for(64));
    CHECK_THROWS(SharedBlock::create(m.data(), m.size, 65, 1, 1));
}

TEST_CASE("a shared block refuses memory that is not 64-byte aligned", "[state]") {
    Memory m(SharedBlock::bytes_for(64) + 64);
    void* off = static_cast<char*>(m.data()) + 8;
    CHECK_THROWS_AS(SharedBlock::create(off, m.size - 64, 64, 1, 1), std::invalid_argument);

    SharedBlock::create(m.data(), m.size - 64, 64, 1, 1);
    std::string why;
    CHECK_FALSE(SharedBlock::attach(off, m.size - 64, why).has_value());
    CHECK(why == "a block not 64-byte aligned");
}

TEST_CASE("a block goes at the first 64-byte boundary of a segment", "[state]") {
    // apr_shm_baseaddr_get is 8 bytes into the mapping (APR keeps the size in front of it), so
    // the module asks for kBlockAlign - 1 bytes more and puts the block on the first boundary.
    const std::size_t needed = SharedBlock::bytes_for(64);
    Memory m(needed + 2 * kBlockAlign);
    for (std::size_t shift : {0, 8, 16, 63}) {
        char* base = static_cast<char*>(m.data()) + shift;
        const std::size_t segment = needed + kBlockAlign - 1;
        BlockSpan span = aligned_span(base, segment);
        CHECK(reinterpret_cast<std::uintptr_t>(span.memory) % kBlockAlign == 0);
        CHECK(static_cast<char*>(span.memory) >= base);
        CHECK(static_cast<char*>(span.memory) - base < static_cast<std::ptrdiff_t>(kBlockAlign));
        CHECK(static_cast<char*>(span.memory) + span.bytes == base + segment);
        CHECK(span.bytes >= needed);

        SharedBlock::create(span.memory, span.bytes, 64, 7, 1);
        BlockSpan again = aligned_span(base, segment);
        std::string why;
        auto attached = SharedBlock::attach(again.memory, again.bytes, why);
        REQUIRE(attached.has_value());
        CHECK(attached->hash_seed() == 7);
    }
}
