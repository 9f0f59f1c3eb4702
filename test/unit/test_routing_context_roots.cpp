#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "routing/context_roots.hpp"

using zdu::routing::ContextRoots;

namespace {

ContextRoots roots_of(const std::vector<std::string>& roots) {
    return ContextRoots(std::vector<std::string_view>(roots.begin(), roots.end()));
}

// "/a/a/…/a" of about `length` characters: every other character is a boundary.
std::string deep_path(std::size_t length) {
    std::string path;
    while (path.size() < length) path += "/a";
    return path;
}

}  // namespace

TEST_CASE("a context root takes its own path, its subpaths and its path parameters", "[routing]") {
    ContextRoots roots = roots_of({"/app", "/shop"});
    CHECK(roots.match("/app") == 0);
    CHECK(roots.match("/app/") == 0);
    CHECK(roots.match("/app/x/y") == 0);
    CHECK(roots.match("/app;jsessionid=abc") == 0);
    CHECK(roots.match("/shop/cart") == 1);
    CHECK(roots.match("/apple") == -1);
    CHECK(roots.match("/ap") == -1);
    CHECK(roots.match("/") == -1);
    CHECK(roots.match("") == -1);
    CHECK(roots.match("/APP") == -1);  // context roots are case-sensitive, as in servlets
}

TEST_CASE("the longest matching context root wins", "[routing]") {
    ContextRoots roots = roots_of({"/app", "/app/admin", "/app/admin/tools"});
    CHECK(roots.match("/app/admin") == 1);
    CHECK(roots.match("/app/admin/x") == 1);
    CHECK(roots.match("/app/admin/tools;a=b") == 2);
    CHECK(roots.match("/app/administrator") == 0);
    CHECK(roots.match("/app/adm") == 0);
}

TEST_CASE("/ takes every path no other root takes", "[routing]") {
    ContextRoots roots = roots_of({"/", "/app"});
    CHECK(roots.match("/app/x") == 1);
    CHECK(roots.match("/apple") == 0);
    CHECK(roots.match("/") == 0);
    CHECK(roots.match("/other/x") == 0);
    CHECK(roots.match("") == 0);
}

TEST_CASE("no roots match nothing", "[routing]") {
    ContextRoots roots;
    CHECK(roots.match("/app") == -1);
    CHECK(roots.longest() == 0);
}

TEST_CASE("hash lookups are bounded by the roots, not by the path", "[routing]") {
    std::vector<std::string> names;
    for (int i = 0; i < 50; ++i) names.push_back("/module-" + std::to_string(i));
    names.push_back("/a/a/a");
    ContextRoots roots = roots_of(names);
    // Root lengths: 9, 10 and 6 characters: at most one lookup each, whatever the path.
    for (std::size_t length : {std::size_t{16}, std::size_t{8192}, std::size_t{65536}}) {
        std::size_t lookups = 0;
        CHECK(roots.match(deep_path(length), &lookups) == 50);
        CHECK(lookups <= 3);
    }
    std::size_t lookups = 0;
    CHECK(roots.match("/b" + deep_path(8192), &lookups) == -1);
    CHECK(lookups <= 3);
    CHECK(roots.match("/module-7/x", &lookups) == 7);
    CHECK(lookups == 1);
}

TEST_CASE("a moved ContextRoots still matches", "[routing]") {
    ContextRoots moved = roots_of({"/app", "/shop"});
    ContextRoots roots = std::move(moved);
    CHECK(roots.match("/shop/x") == 1);
}
