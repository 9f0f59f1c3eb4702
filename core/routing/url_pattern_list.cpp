#include "routing/url_pattern_list.hpp"

#include "routing/retry_policy.hpp"

namespace zdu::routing {

UrlPatternList::UrlPatternList(std::string_view patterns) {
    std::size_t pos = 0;
    while (pos < patterns.size()) {
        std::size_t start = patterns.find_first_not_of(" \t\r\n", pos);
        if (start == std::string_view::npos) break;
        std::size_t end = patterns.find_first_of(" \t\r\n", start);
        if (end == std::string_view::npos) end = patterns.size();
        patterns_.emplace_back(patterns.substr(start, end - start));
        pos = end;
    }
}

bool UrlPatternList::matches(std::string_view path_in_module) const {
    for (const auto& p : patterns_) {
        if (url_pattern_matches(p, path_in_module)) return true;
    }
    return false;
}

std::string_view without_path_params(std::string_view path, char* buffer) {
    if (path.find(';') == std::string_view::npos) return path;
    std::size_t n = 0;
    bool in_params = false;
    for (char c : path) {
        if (c == '/') in_params = false;
        if (c == ';') in_params = true;
        if (!in_params) buffer[n++] = c;
    }
    return {buffer, n};
}

}  // namespace zdu::routing
