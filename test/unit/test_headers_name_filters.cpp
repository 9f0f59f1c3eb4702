// HeaderNameSet answers most request headers from the first byte and the length alone: those
// filters may only ever say "maybe", never turn away a name that is in the set.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "headers/header_name_set.hpp"
#include "headers/strip_list.hpp"
#include "routing/header_text.hpp"

using zdu::headers::HeaderNameSet;

namespace {

constexpr std::string_view kTchars =
    "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool naive_contains(const std::vector<std::string>& names, std::string_view name) {
    for (const auto& n : names) {
        if (zdu::routing::iequals(n, name)) return true;
    }
    return false;
}

std::string random_name(std::mt19937& rng, std::size_t max_len) {
    std::uniform_int_distribution<std::size_t> len(1, max_len);
    std::uniform_int_distribution<std::size_t> pick(0, kTchars.size() - 1);
    std::string s(len(rng), ' ');
    for (char& c : s) c = kTchars[pick(rng)];
    return s;
}

// The same name as a client may spell it: every letter's case flipped at random.
std::string respelled(std::mt19937& rng, std::string s) {
    std::bernoulli_distribution flip(0.5);
    for (char& c : s) {
        if (flip(rng) && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) c ^= 0x20;
    }
    return s;
}

}  // namespace

TEST_CASE("HeaderNameSet: the first-byte and length filters never miss a member", "[headers]") {
    std::mt19937 rng(15);
    for (int round = 0; round < 50; ++round) {
        std::vector<std::string> names;
        for (int i = 0; i < 1 + round % 12; ++i) names.push_back(random_name(rng, 80));
        const HeaderNameSet set(names);
        for (const auto& n : names) {
            const std::string spelled = respelled(rng, n);
            INFO("member " << spelled);
            CHECK(set.contains(spelled.c_str()));
            CHECK(set.contains(std::string_view(spelled)));
        }
        for (int q = 0; q < 200; ++q) {
            std::string query = random_name(rng, 80);
            // Now and then a byte no token has: httpd with HttpProtocolOptions Unsafe passes
            // such names on.
            if (q % 7 == 0) query[0] = static_cast<char>(0x80 + q % 0x80);
            if (q % 11 == 0) query[query.size() / 2] = static_cast<char>(0xFF);
            INFO("query " << query);
            CHECK(set.contains(query.c_str()) == naive_contains(names, query));
            CHECK(set.contains(std::string_view(query)) == naive_contains(names, query));
        }
    }
}

TEST_CASE("HeaderNameSet: first bytes that share a bit with a member's", "[headers]") {
    // 0x20 set on '^' gives '~', on '@' gives '`', on '_' gives DEL: the filter lets such pairs
    // through to the full compare, which tells them apart.
    const HeaderNameSet set({"^a", "_b", "~c", "1d"});
    for (const char* in : {"^a", "_B", "~C", "1D"}) CHECK(set.contains(in));
    for (const char* out : {"~a",
                            "\x7f"
                            "b",
                            "^c",
                            "\x31"
                            "e",
                            "\xde"
                            "a",
                            "\xfe"
                            "c",
                            "@a", "`a"}) {
        CHECK_FALSE(set.contains(out));
    }
}

TEST_CASE("StripList: every default name found as a C string in any spelling", "[headers]") {
    const zdu::headers::StripList list;
    std::mt19937 rng(7);
    std::vector<std::string> all = zdu::headers::own_headers();
    for (const auto& n : zdu::headers::default_strip_headers()) all.push_back(n);
    for (const auto& n : all) {
        for (int k = 0; k < 4; ++k) {
            const std::string spelled = respelled(rng, n);
            INFO(spelled);
            CHECK(list.strips(spelled.c_str()));
        }
    }
}
