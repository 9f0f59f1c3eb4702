// The version pin: a long-lived cookie that keeps a browser given a session on the canary
// version on that version for its later new sessions. Signed with HMAC-SHA256 (OpenSSL's
// libcrypto) over the cluster, the version and the time it was issued, so every front-end with
// the same key accepts it and no client can forge one. Two keys: new pins are signed with the
// current one; pins signed with the previous one are still accepted while the key rotates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zdu::sessions {

inline constexpr std::string_view kPinCookie = "ZDU_PIN";

struct PinKeys {
    std::string current;   // signs; empty: pins are off
    std::string previous;  // also verifies; may be empty
    bool enabled() const { return !current.empty(); }
};

// The cookie value "<version>.<issued>.<signature>" for `version` of `cluster`, issued at
// `issued_s` (unix seconds). Versions are config-checked to [A-Za-z0-9._-].
std::string sign_pin(const PinKeys& keys, std::string_view cluster, std::string_view version,
                     std::int64_t issued_s);

// The version a pin value names when its signature is right for `cluster` under either key and
// it was issued at most `max_age_s` before `now_s` (and not in the future beyond a minute);
// nullopt otherwise (forged, truncated, other cluster, expired). The view is into `value`.
std::optional<std::string_view> verify_pin(const PinKeys& keys, std::string_view cluster,
                                           std::string_view value, std::int64_t now_s,
                                           std::int64_t max_age_s);

}  // namespace zdu::sessions
