// Which failed requests may be retried on another instance, and how often: a request matching
// an idempotent-url-pattern of its web-module gets that pattern's no-of-retries; other GET,
// HEAD and OPTIONS requests are retried until instances run out; anything else never.
#pragma once

#include <string_view>

#include "config/model.hpp"

namespace zdu::routing {

constexpr int kRetryUnlimited = -1;

// Servlet-style url-pattern against a path within the web-module (the context root removed):
// "/exact", "/prefix/*" (also matches "/prefix"), "*.ext", or "/*" / "/" for everything.
bool url_pattern_matches(std::string_view pattern, std::string_view path_in_module);

// The path within the web-module: `path` less the context root (and less ;params, ?query).
std::string_view path_in_module(std::string_view path, std::string_view context_root);

// Retries allowed for a request: kRetryUnlimited, 0 (never) or a positive count.
int retry_limit(const config::WebModule& module, std::string_view method,
                std::string_view path_in_module);

inline bool may_retry(int limit, int retries_done) {
    return limit == kRetryUnlimited || retries_done < limit;
}

}  // namespace zdu::routing
