// The status page's sign-in: a cookie that proves the browser was given the manager secret, and
// a per-page token that proves a form came from a page this server rendered (a cross-site page
// can make the browser send the cookie, never read the token). Both are HMAC-SHA256 under a key
// derived from ZduManagerSecret, so every child and every front-end sharing the secret accepts
// them without shared state; changing the secret signs everyone out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zdu::manager {

inline constexpr std::string_view kPageCookieName = "zdu_manager";
inline constexpr std::int64_t kPageSessionSeconds = 8 * 3600;  // a working day, then sign in again

// "<expiry seconds since the epoch>.<hex HMAC>"; empty when the MAC cannot be computed.
std::string make_page_session(std::string_view secret, std::int64_t now_s,
                              std::int64_t lifetime_s = kPageSessionSeconds);

// True when `value` was made with `secret` and has not expired at `now_s`.
bool page_session_valid(std::string_view secret, std::string_view value, std::int64_t now_s);

// The token every form of a signed-in page carries: bound to the session value.
std::string page_token(std::string_view secret, std::string_view session);
bool page_token_valid(std::string_view secret, std::string_view session, std::string_view token);

// The value of cookie `name` in a Cookie header (null header: none); empty when absent.
std::string cookie_value(const char* cookie_header, std::string_view name);

// A Set-Cookie value for the session (`max_age_s` 0 clears it). `path` is restricted to safe
// characters (anything else becomes "/"), so a request path cannot inject attributes.
std::string session_set_cookie(std::string_view value, std::string_view path, bool secure,
                               std::int64_t max_age_s);

// "scheme://host[:port]" of a request from its scheme and Host header.
std::string own_origin(std::string_view scheme, std::string_view host);

// Whether a browser request comes from a page of `own`: an Origin header must equal it; without
// one, a Referer must be on it; with neither (some clients send none) it is not refused here, the
// token still has to match.
bool same_origin_request(std::string_view own, const char* origin, const char* referer);

}  // namespace zdu::manager
