// A stable 64-bit hash (FNV-1a): the same on every front-end, build and run, unlike std::hash.
#pragma once

#include <cstdint>
#include <string_view>

namespace zdu::routing {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;

constexpr std::uint64_t stable_hash(std::string_view text, std::uint64_t seed = kFnvOffset) {
    std::uint64_t h = seed;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ull;
    }
    return h;
}

// Hash of a pair, with a separator no name can contain, so ("ab","c") and ("a","bc") differ.
constexpr std::uint64_t stable_hash(std::string_view a, std::string_view b) {
    return stable_hash(b, stable_hash(std::string_view("\0", 1), stable_hash(a)));
}

}  // namespace zdu::routing
