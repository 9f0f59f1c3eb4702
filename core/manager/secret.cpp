#include "manager/secret.hpp"

#include <cstddef>

namespace zdu::manager {

bool constant_time_equal(std::string_view presented, std::string_view expected) {
    // Every byte of `expected` is looked at, whatever the guess: no early exit.
    std::size_t diff = presented.size() ^ expected.size();
    for (std::size_t i = 0; i < expected.size(); ++i) {
        unsigned char p = i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0;
        diff |= p ^ static_cast<unsigned char>(expected[i]);
    }
    return diff == 0;
}

Access check_access(std::string_view configured, const char* presented) {
    if (configured.empty()) return Access::NotConfigured;
    if (!presented) return Access::Missing;
    return constant_time_equal(presented, configured) ? Access::Granted : Access::Wrong;
}

std::string_view refusal_text(Access a) {
    switch (a) {
        case Access::Granted:
            return "";
        case Access::NotConfigured:
            return "the manager secret is not configured (ZduManagerSecret): every request is "
                   "refused";
        case Access::Missing:
            return "no X-Zdu-Secret header";
        case Access::Wrong:
            return "wrong X-Zdu-Secret";
    }
    return "refused";
}

}  // namespace zdu::manager
