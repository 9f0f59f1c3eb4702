// Keys of the shared records: stable hashes of names, so a record keeps its identity across
// reloads and child processes, and instances added by a reload get fresh records.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "routing/hash.hpp"

namespace zdu::state {

namespace detail {
// Each field is followed by a NUL, which no name contains, so ("ab","c") and ("a","bc") differ.
constexpr std::uint64_t hash_fields(std::initializer_list<std::string_view> fields) {
    std::uint64_t h = routing::kFnvOffset;
    for (std::string_view f : fields)
        h = routing::stable_hash(std::string_view("\0", 1), routing::stable_hash(f, h));
    return h == 0 ? 1 : h;  // 0 marks a free slot
}
}  // namespace detail

constexpr std::uint64_t instance_key(std::string_view cluster, std::string_view instance) {
    return detail::hash_fields({"instance", cluster, instance});
}

constexpr std::uint64_t web_module_key(std::string_view cluster, std::string_view context_root) {
    return detail::hash_fields({"web-module", cluster, context_root});
}

constexpr std::uint64_t cluster_key(std::string_view cluster) {
    return detail::hash_fields({"cluster", cluster});
}

}  // namespace zdu::state
