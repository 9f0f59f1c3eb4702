// Parsing of attribute and property values.
#include <catch2/catch.hpp>
#include <string>
#include <variant>

#include "config/listener_parser.hpp"
#include "config/text.hpp"

using namespace zdu::config;

TEST_CASE("integers", "[config][text]") {
    CHECK(parse_int("31") == 31);
    CHECK(parse_int(" -1 ") == -1);
    CHECK(parse_int("+5") == 5);
    CHECK(parse_int("2147483647") == 2147483647);
    CHECK_FALSE(parse_int("2147483648"));
    CHECK_FALSE(parse_int(""));
    CHECK_FALSE(parse_int("+-5"));
    CHECK_FALSE(parse_int("1e3"));
    CHECK_FALSE(parse_int("3.0"));
    CHECK_FALSE(parse_int("12abc"));
}

TEST_CASE("booleans", "[config][text]") {
    CHECK(parse_bool("Yes") == true);
    CHECK(parse_bool(" off ") == false);
    CHECK_FALSE(parse_bool("maybe"));
    CHECK_FALSE(parse_bool(""));
    CHECK_FALSE(parse_bool("2"));
}

TEST_CASE("words", "[config][text]") {
    const auto words = split_words(" a\tbb \n ccc ");
    CHECK(words == std::vector<std::string_view>{"a", "bb", "ccc"});
    CHECK(split_words("   ").empty());
}

TEST_CASE("listeners", "[config][text]") {
    const auto ok = parse_listener("https://app.example.com:8181");
    REQUIRE(std::holds_alternative<Listener>(ok));
    CHECK(std::get<Listener>(ok) == Listener{Scheme::Https, "app.example.com", 8181});

    for (const char* bad : {"http://h:", "http://h:65536", "http://h:-1", "http://[::1:80",
                            "http://[zz]:80", "HTTP://h:80", "http//h:80", "http://h:80/"}) {
        const auto parsed = parse_listener(bad);
        INFO(bad);
        REQUIRE(std::holds_alternative<std::string>(parsed));
        CHECK(std::get<std::string>(parsed).find(bad) != std::string::npos);
    }
}
