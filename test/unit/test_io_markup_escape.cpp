// The one escaping loop behind the HTML page, the monitor document and the xml writer.
#include <catch2/catch.hpp>

#include "io/markup_escape.hpp"

using zdu::io::escape_markup;
using zdu::io::MarkupEscape;

TEST_CASE("markup escaping always escapes the three markup characters", "[io][escape]") {
    CHECK(escape_markup("a&b<c>d", MarkupEscape{}) == "a&amp;b&lt;c&gt;d");
    CHECK(escape_markup("", MarkupEscape{}).empty());
}

TEST_CASE("markup escaping does each optional character only when asked", "[io][escape]") {
    const std::string text = "\"'\t\n\r\x01";
    CHECK(escape_markup(text, {false, ""}) == text);
    CHECK(escape_markup(text, {true, ""}) == "&quot;'\t\n\r\x01");
    CHECK(escape_markup(text, {false, "&#39;"}) == "\"&#39;\t\n\r\x01");
    CHECK(escape_markup(text, {false, "", true}) == "\"'&#9;&#10;\r\x01");
    CHECK(escape_markup(text, {false, "", false, true}) == "\"'\t\n&#13;\x01");
    CHECK(escape_markup(text, {false, "", false, false, true}) == "\"'\t\n\r ");
}

TEST_CASE("markup escaping keeps bytes above ASCII as they are", "[io][escape]") {
    CHECK(escape_markup("caf\xc3\xa9 &", {true, "&apos;", true, true, true}) ==
          "caf\xc3\xa9 &amp;");
}
