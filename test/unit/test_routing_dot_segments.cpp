#include <catch2/catch.hpp>

#include "routing/dot_segments.hpp"

using zdu::routing::has_dot_segment;

TEST_CASE("ordinary paths have no dot segment", "[routing]") {
    CHECK_FALSE(has_dot_segment("/"));
    CHECK_FALSE(has_dot_segment(""));
    CHECK_FALSE(has_dot_segment("/app"));
    CHECK_FALSE(has_dot_segment("/app/x/y.jsp"));
    CHECK_FALSE(has_dot_segment("/app;jsessionid=abc.r1:r2"));
    CHECK_FALSE(has_dot_segment("/app/x;jsessionid=abc/y"));
    CHECK_FALSE(has_dot_segment("/app/.hidden/..more/...;x"));
    CHECK_FALSE(has_dot_segment("/app/a..b/%2e%2e"));  // a literal "%2e" reaches the app encoded
    CHECK_FALSE(has_dot_segment("/app//x/;/"));
    CHECK_FALSE(has_dot_segment("/app/x%2"));
    CHECK_FALSE(has_dot_segment("/app/..x;y"));
}

TEST_CASE("a segment that is . or .. once its path parameters are removed is a dot segment",
          "[routing]") {
    CHECK(has_dot_segment("/app/..;/admin/secret"));
    CHECK(has_dot_segment("/app/..;jsessionid=abc/admin"));
    CHECK(has_dot_segment("/app/.;/x"));
    CHECK(has_dot_segment("/app/.;x=1;y=2/x"));
    CHECK(has_dot_segment("/..;/app/x"));
    CHECK(has_dot_segment("/app/x/..;"));
    CHECK(has_dot_segment("/app/x/.."));
    CHECK(has_dot_segment("/app/./x"));
    CHECK(has_dot_segment("/app;x/..;/y"));
}

TEST_CASE("backslashes and encoded separators end a segment too", "[routing]") {
    CHECK(has_dot_segment("/app/..\\admin"));
    CHECK(has_dot_segment("/app/x\\..;\\admin"));
    CHECK(has_dot_segment("/app/x%2F..;%2Fadmin"));
    CHECK(has_dot_segment("/app/x%2f..%2fadmin"));
    CHECK(has_dot_segment("/app/..%5Cadmin"));
    CHECK(has_dot_segment("/app/x%5c.."));
    CHECK_FALSE(has_dot_segment("/app/x%2Fy%5Cz"));
    CHECK_FALSE(has_dot_segment("/app/..%3B/x"));  // "%3B" here was "%253B": not a ';' to the app
}
