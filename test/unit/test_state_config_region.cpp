#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "state/config_region.hpp"
#include "state/shared_block.hpp"

using namespace zdu::state;

namespace {

struct TestRegion {
    explicit TestRegion(std::size_t capacity)
        : words(ConfigRegion::bytes_for(capacity) / 8 + 8),
          region(ConfigRegion::create(aligned(), capacity)) {}
    void* aligned() {
        auto p = reinterpret_cast<std::uintptr_t>(words.data());
        return reinterpret_cast<void*>((p + 63) / 64 * 64);
    }
    std::vector<std::uint64_t> words;
    ConfigRegion region;
};

}  // namespace

TEST_CASE("a config region publishes generations in order", "[state][reload]") {
    TestRegion m(256);
    ConfigRegion& r = m.region;
    CHECK(r.generation() == 0);
    CHECK_FALSE(r.read().has_value());

    CHECK(r.publish("<xml one/>", "", content_hash("<xml one/>"), 1000) == 1);
    CHECK(r.publish("<xml two/>", "kept", content_hash("<xml two/>"), 2000) == 2);
    CHECK(r.generation() == 2);
    auto c = r.read();
    REQUIRE(c.has_value());
    CHECK(c->generation == 2);
    CHECK(c->file == "<xml two/>");
    CHECK(c->retained == "kept");
    CHECK(c->hash == content_hash("<xml two/>"));
    CHECK(r.published_hash() == content_hash("<xml two/>"));
    CHECK(c->loaded_ms == 2000);

    SECTION("a third publish reuses the first buffer") {
        CHECK(r.publish("<xml three/>", "", 3, 3000) == 3);
        CHECK(r.read()->file == "<xml three/>");
    }
    SECTION("content larger than the buffers is refused and changes nothing") {
        CHECK(r.publish(std::string(257, 'x'), "", 9, 4000) == 0);
        CHECK(r.generation() == 2);
        CHECK(r.read()->file == "<xml two/>");
    }
}

TEST_CASE("the last reload result and bad content are kept in the region", "[state][reload]") {
    TestRegion m(64);
    ConfigRegion& r = m.region;
    CHECK(r.result().ok);
    r.set_result({false, 4, 99, "f.xml:3: bad\nf.xml:9: worse"});
    ReloadResult got = r.result();
    CHECK_FALSE(got.ok);
    CHECK(got.generation == 4);
    CHECK(got.at_ms == 99);
    CHECK(got.errors == "f.xml:3: bad\nf.xml:9: worse");

    CHECK(r.note_bad_content(7));
    CHECK_FALSE(r.note_bad_content(7));
    CHECK(r.note_bad_content(8));
    r.forget_bad_content();
    CHECK(r.note_bad_content(8));
}

TEST_CASE("content hashes are stable and tell contents apart", "[state][reload]") {
    CHECK(content_hash("abc") == content_hash(std::string("abc")));
    CHECK(content_hash("abc") != content_hash("abd"));
    CHECK(content_hash("") != 0);
}

TEST_CASE("a shared block carries a config region", "[state][reload]") {
    std::size_t bytes = SharedBlock::bytes_for(64, kDefaultSessionCapacity, 512);
    std::vector<std::uint64_t> words(bytes / 8 + 8);
    auto p = reinterpret_cast<std::uintptr_t>(words.data());
    void* mem = reinterpret_cast<void*>((p + 63) / 64 * 64);
    SharedBlock made = SharedBlock::create(mem, bytes, 64, kDefaultSessionCapacity, 1, 1, 512);
    CHECK(made.config_capacity() == 512);
    made.config().publish("<a/>", "", 1, 1);
    std::string why;
    auto again = SharedBlock::attach(mem, bytes, why);
    REQUIRE(again.has_value());
    CHECK(again->config().read()->file == "<a/>");
    CHECK(again->records().capacity() == 64);
}
