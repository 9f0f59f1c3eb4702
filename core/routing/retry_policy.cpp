#include "routing/retry_policy.hpp"

namespace zdu::routing {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

bool url_pattern_matches(std::string_view pattern, std::string_view path) {
    if (pattern == "/" || pattern == "/*") return true;
    if (pattern.size() >= 2 && pattern.substr(0, 2) == "*.") {
        std::string_view last = path.substr(path.rfind('/') + 1);
        return ends_with(last, pattern.substr(1));
    }
    if (ends_with(pattern, "/*")) {
        std::string_view prefix = pattern.substr(0, pattern.size() - 2);
        return path == prefix || (path.substr(0, prefix.size()) == prefix &&
                                  path.size() > prefix.size() && path[prefix.size()] == '/');
    }
    return path == pattern;
}

std::string_view path_in_module(std::string_view path, std::string_view context_root) {
    std::size_t end = 0;  // (find_first_of would call memchr once per character)
    while (end < path.size() && path[end] != ';' && path[end] != '?' && path[end] != '#') ++end;
    path = path.substr(0, end);
    if (context_root != "/" && path.substr(0, context_root.size()) == context_root) {
        path.remove_prefix(context_root.size());
    }
    return path.empty() ? std::string_view("/") : path;
}

}  // namespace zdu::routing
