// The idempotent-url-pattern matching that decides which failed requests may be retried on
// another instance (the limits themselves: retry_budget.hpp).
#pragma once

#include <string_view>

namespace zdu::routing {

// A retry limit without bound (no-of-retries="-1", GlassFish's default).
constexpr int kRetryUnlimited = -1;

// Servlet-style url-pattern against a path within the web-module (the context root removed):
// "/exact", "/prefix/*" (also matches "/prefix"), "*.ext", or "/*" / "/" for everything.
bool url_pattern_matches(std::string_view pattern, std::string_view path_in_module);

// The path within the web-module: `path` less the context root (and less ;params, ?query).
std::string_view path_in_module(std::string_view path, std::string_view context_root);

}  // namespace zdu::routing
