// Strings mapped to an int, looked up by std::string_view without allocating: in C++17 an
// std::unordered_map<std::string, …> can only be searched with a std::string, which the
// request path would have to build on the heap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "routing/hash.hpp"

namespace zdu::routing {

class StringIndex {
  public:
    // Adds `key` unless present (as std::unordered_map::emplace does: the first value stays).
    void emplace(std::string key, int value) {
        if (find(key) >= 0) return;
        std::uint64_t h = stable_hash(key);
        entries_.emplace(h, std::make_pair(std::move(key), value));
    }

    // The value of `key`, or -1.
    int find(std::string_view key) const {
        auto [first, last] = entries_.equal_range(stable_hash(key));
        for (auto it = first; it != last; ++it) {
            if (it->second.first == key) return it->second.second;
        }
        return -1;
    }

    std::size_t count(std::string_view key) const { return find(key) >= 0 ? 1 : 0; }
    std::size_t size() const { return entries_.size(); }

  private:
    std::unordered_multimap<std::uint64_t, std::pair<std::string, int>> entries_;
};

}  // namespace zdu::routing
