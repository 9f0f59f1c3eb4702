#include "routing/context_roots.hpp"

#include <algorithm>

namespace zdu::routing {

ContextRoots::ContextRoots(const std::vector<std::string_view>& roots)
    : roots_(roots.begin(), roots.end()) {
    for (const auto& r : roots_) longest_ = std::max(longest_, r.size());
    has_length_.assign(longest_ + 1, false);
    // roots_ is complete: its strings no longer move, so the map may hold views into them.
    for (std::size_t i = 0; i < roots_.size(); ++i) {
        by_root_.emplace(roots_[i], static_cast<int>(i));
        has_length_[roots_[i].size()] = true;
        if (roots_[i] == "/") catch_all_ = static_cast<int>(i);
    }
}

int ContextRoots::match(std::string_view path, std::size_t* lookups) const {
    std::size_t looked_up = 0;
    int found = catch_all_;
    // Longest first: the first hit is the longest match.
    for (std::size_t end = std::min(path.size(), longest_); end > 0; --end) {
        if (!has_length_[end]) continue;
        if (end < path.size() && path[end] != '/' && path[end] != ';') continue;
        ++looked_up;
        auto it = by_root_.find(path.substr(0, end));
        if (it != by_root_.end()) {
            found = it->second;
            break;
        }
    }
    if (lookups) *lookups = looked_up;
    return found;
}

}  // namespace zdu::routing
