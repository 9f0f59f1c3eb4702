#include <catch2/catch.hpp>

#include "routing/retry_policy.hpp"

using namespace zdu;
using routing::url_pattern_matches;

TEST_CASE("servlet-style url patterns", "[routing][retry]") {
    CHECK(url_pattern_matches("/search/*", "/search/books"));
    CHECK(url_pattern_matches("/search/*", "/search"));
    CHECK_FALSE(url_pattern_matches("/search/*", "/searching"));
    CHECK(url_pattern_matches("*.do", "/a/b/list.do"));
    CHECK_FALSE(url_pattern_matches("*.do", "/a/b.do/list"));
    CHECK(url_pattern_matches("/exact", "/exact"));
    CHECK_FALSE(url_pattern_matches("/exact", "/exact/more"));
    CHECK(url_pattern_matches("/*", "/anything"));
}

TEST_CASE("path within the module drops the context root, params and query", "[routing][retry]") {
    CHECK(routing::path_in_module("/app/search/x;jsessionid=1?q=2", "/app") == "/search/x");
    CHECK(routing::path_in_module("/app", "/app") == "/");
    CHECK(routing::path_in_module("/x/y", "/") == "/x/y");
}
