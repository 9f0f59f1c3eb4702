// Shared by the fuzz targets: invariant checks that abort (so libFuzzer keeps the input as a
// crash) and the input split into newline-separated fields, so seeds stay readable text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace zdu::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: invariant broken: %s\n", file, line, what);
    std::abort();
}

// Like assert(), but never compiled out: the fuzz builds are optimised.
#define ZDU_FUZZ_CHECK(cond) \
    ((cond) ? static_cast<void>(0) : ::zdu::fuzz::fail(#cond, __FILE__, __LINE__))

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Whether `part` is a view into `whole` (an empty view anywhere counts): a parser that returns
// views must never point outside the text it was given.
inline bool within(std::string_view part, std::string_view whole) {
    if (part.empty()) return true;
    const auto begin = reinterpret_cast<std::uintptr_t>(whole.data());
    const auto at = reinterpret_cast<std::uintptr_t>(part.data());
    return at >= begin && at + part.size() <= begin + whole.size();
}

// Whether `part`, a view into `whole`, stands between two quotes of it: a cookie value read
// without its quotes.
inline bool quoted_within(std::string_view part, std::string_view whole) {
    const auto begin = reinterpret_cast<std::uintptr_t>(whole.data());
    const auto at = reinterpret_cast<std::uintptr_t>(part.data());
    if (!within(part, whole) || at == begin || at + part.size() >= begin + whole.size()) {
        return false;
    }
    return part.data()[-1] == '"' && part.data()[part.size()] == '"';
}

// The next '\n'-terminated field of `in` (the rest when there is no '\n'), removed from `in`.
inline std::string_view next_field(std::string_view& in) {
    const auto nl = in.find('\n');
    std::string_view field = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
    return field;
}

}  // namespace zdu::fuzz
