// The listener index the response filter looks redirects up in, by string_view.
#include <catch2/catch.hpp>

#include "routing/string_index.hpp"

using zdu::routing::StringIndex;

TEST_CASE("a string index finds exactly its keys, first value kept", "[routing]") {
    StringIndex index;
    index.emplace("http://127.0.0.1:8080", 0);
    index.emplace("http://127.0.0.1:8081", 1);
    index.emplace("http://127.0.0.1:8080", 7);
    CHECK(index.size() == 2);
    CHECK(index.find("http://127.0.0.1:8080") == 0);
    CHECK(index.find(std::string_view("http://127.0.0.1:8081/x").substr(0, 21)) == 1);
    CHECK(index.count("http://127.0.0.1:8082") == 0);
    CHECK(index.find("") == -1);
    CHECK(index.find("HTTP://127.0.0.1:8080") == -1);
}
