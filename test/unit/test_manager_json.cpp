#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "manager/json_writer.hpp"

using zdu::manager::append_json_string;
using zdu::manager::JsonWriter;

namespace {

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

}  // namespace

TEST_CASE("json strings escape quotes, backslashes and control characters", "[manager]") {
    CHECK(json_string("plain") == R"("plain")");
    CHECK(json_string("") == R"("")");
    CHECK(json_string(R"(say "hi")") == R"("say \"hi\"")");
    CHECK(json_string(R"(a\b)") == R"("a\\b")");
    CHECK(json_string("a\nb\rc\td\be\ff") == R"("a\nb\rc\td\be\ff")");
    CHECK(json_string(std::string_view("\0\x01\x1f\x7f", 4)) == R"("\u0000\u0001\u001f\u007f")");
    CHECK(json_string("</script>") == R"("</script>")");
}

TEST_CASE("json strings keep valid UTF-8 and replace invalid bytes", "[manager]") {
    CHECK(json_string("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") ==
          "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
    CHECK(json_string("a\xff!") == R"("a\ufffd!")");
    CHECK(json_string("\xc3") == R"("\ufffd")");                      // truncated sequence
    CHECK(json_string("\xc0\xaf") == R"("\ufffd\ufffd")");            // overlong '/'
    CHECK(json_string("\xed\xa0\x80") == R"("\ufffd\ufffd\ufffd")");  // surrogate
    CHECK(json_string("\xf4\x90\x80\x80") == R"("\ufffd\ufffd\ufffd\ufffd")");  // > U+10FFFF
    CHECK(json_string("\xe2\x80\xa8\xe2\x80\xa9") == R"("\u2028\u2029")");
}

TEST_CASE("json writer places commas and colons", "[manager]") {
    JsonWriter w;
    w.begin_object()
        .key("a")
        .number(1)
        .key("b")
        .begin_array()
        .number(-2)
        .boolean(true)
        .null()
        .str("x")
        .end_array()
        .key("c")
        .begin_object()
        .end_object()
        .key("d")
        .begin_array()
        .begin_object()
        .key("e")
        .boolean(false)
        .end_object()
        .begin_object()
        .end_object()
        .end_array()
        .key("u")
        .number(std::uint64_t{18446744073709551615u})
        .end_object();
    CHECK(w.text() == R"({"a":1,"b":[-2,true,null,"x"],"c":{},"d":[{"e":false},{}],)"
                      R"("u":18446744073709551615})");
}

TEST_CASE("json writer escapes keys and writes milliseconds without the locale", "[manager]") {
    JsonWriter w;
    w.begin_object()
        .key("k\"ey")
        .millis(std::chrono::microseconds(1234))
        .key("zero")
        .millis(std::chrono::microseconds(0))
        .key("big")
        .millis(std::chrono::microseconds(10'000'005))
        .end_object();
    CHECK(w.text() == R"({"k\"ey":1.234,"zero":0.000,"big":10000.005})");
}
