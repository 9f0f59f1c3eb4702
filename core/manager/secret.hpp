// Whether a manager request may act: ZduManagerSecret must be configured and presented.
#pragma once

#include <string_view>

namespace zdu::manager {

enum class Access {
    Granted,
    NotConfigured,  // no ZduManagerSecret: every request is refused
    Missing,        // the request presents no secret
    Wrong,
};

// Compares in time that depends only on the length of `expected`, so response times do not
// reveal how much of a guess was right.
bool constant_time_equal(std::string_view presented, std::string_view expected);

// `presented` is null when the request has no secret header.
Access check_access(std::string_view configured, const char* presented);

// Why access was refused, for the client (never the secret itself).
std::string_view refusal_text(Access a);

}  // namespace zdu::manager
