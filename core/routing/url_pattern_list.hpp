// A web-module's list of servlet-style url-patterns (logout-url-pattern), compiled once from the
// attribute's space-separated text and matched the way idempotent-url-pattern is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace zdu::routing {

class UrlPatternList {
  public:
    UrlPatternList() = default;
    // `patterns`: space- or tab-separated, each as url_pattern_matches() reads it.
    explicit UrlPatternList(std::string_view patterns);

    // Whether any pattern matches `path_in_module` (the path less the context root, see
    // path_in_module()).
    bool matches(std::string_view path_in_module) const;
    bool empty() const { return patterns_.empty(); }
    const std::vector<std::string>& patterns() const { return patterns_; }

  private:
    std::vector<std::string> patterns_;
};

// `path` less every segment's ";params", as a servlet container maps it ("/app/a;v=1/logout"
// runs the servlet of "/app/a/logout"). Returns `path` itself when it has no ';' (the usual
// case: no copy); else writes into `buffer`, which holds at least path.size() characters.
std::string_view without_path_params(std::string_view path, char* buffer);

}  // namespace zdu::routing
