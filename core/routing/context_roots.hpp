// Which web-module a request path belongs to: the longest context root that is a prefix of the
// path and ends at '/', ';' or the end ("/app" takes "/app", "/app/x" and "/app;jsessionid=…",
// not "/apple"); "/" takes whatever no other root does.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace zdu::routing {

class ContextRoots {
  public:
    ContextRoots() = default;
    // roots[i] is the context root of web-module i; roots are distinct (the config checks so).
    explicit ContextRoots(const std::vector<std::string_view>& roots);
    // The map holds views into roots_: a copy would point into the original.
    ContextRoots(const ContextRoots&) = delete;
    ContextRoots& operator=(const ContextRoots&) = delete;
    ContextRoots(ContextRoots&&) = default;
    ContextRoots& operator=(ContextRoots&&) = default;

    // The index of the matching root, or -1. Only prefixes no longer than the longest root and
    // of a length some root has are looked up, so a long path costs one pass over at most
    // longest() characters and at most one hash lookup per distinct root length. `lookups`, when
    // given, receives how many hash lookups were made.
    int match(std::string_view path, std::size_t* lookups = nullptr) const;

    std::size_t longest() const { return longest_; }
    std::size_t size() const { return roots_.size(); }

  private:
    std::vector<std::string> roots_;
    std::unordered_map<std::string_view, int> by_root_;
    std::vector<bool> has_length_;  // [n]: some root has n characters
    std::size_t longest_ = 0;
    int catch_all_ = -1;  // the "/" root
};

}  // namespace zdu::routing
