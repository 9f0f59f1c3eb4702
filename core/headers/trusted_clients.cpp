#include "headers/trusted_clients.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace zdu::headers {
namespace {

using Bytes = std::array<std::uint8_t, 16>;

// The longest textual IPv6 address (INET6_ADDRSTRLEN less its NUL); anything longer is rejected
// before it is copied.
constexpr std::size_t kMaxAddressText = 45;

// `text` as an IPv6 address, IPv4 ones mapped (::ffff:a.b.c.d) so one compare serves both;
// `v4` tells which family the text was. inet_pton needs a NUL-terminated string.
bool parse_address(std::string_view text, Bytes& out, bool& v4) {
    if (text.empty() || text.size() > kMaxAddressText) return false;
    char buf[kMaxAddressText + 1];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    if (text.find(':') == std::string_view::npos) {
        std::uint8_t b4[4];
        if (inet_pton(AF_INET, buf, b4) != 1) return false;
        out = Bytes{};
        out[10] = 0xff;
        out[11] = 0xff;
        std::memcpy(out.data() + 12, b4, 4);
        v4 = true;
        return true;
    }
    if (inet_pton(AF_INET6, buf, out.data()) != 1) return false;
    v4 = false;
    return true;
}

// Strict decimal: no sign, no spaces, at most three digits (128 is the largest valid length).
bool parse_prefix(std::string_view text, int& out) {
    if (text.empty() || text.size() > 3) return false;
    int v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

bool prefix_matches(const Bytes& a, const Bytes& b, int prefix) {
    const int whole = prefix / 8;
    if (std::memcmp(a.data(), b.data(), static_cast<std::size_t>(whole)) != 0) return false;
    const int rest = prefix % 8;
    if (rest == 0) return true;
    const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
    return (a[whole] & mask) == (b[whole] & mask);
}

}  // namespace

// Messages name the value only; the directive handler puts its own name in front, as for the
// strip list.
std::optional<std::string> TrustedClients::add(std::string_view range) {
    const auto slash = range.find('/');
    const std::string_view address = range.substr(0, slash);
    Range r;
    bool v4 = false;
    if (!parse_address(address, r.bytes, v4)) {
        return "'" + std::string(range) + "' is not an IPv4 or IPv6 address";
    }
    const int max_prefix = v4 ? 32 : 128;
    int prefix = max_prefix;
    if (slash != std::string_view::npos &&
        (!parse_prefix(range.substr(slash + 1), prefix) || prefix > max_prefix)) {
        return "'" + std::string(range) + "' needs a prefix length of 0.." +
               std::to_string(max_prefix) + " after the '/'";
    }
    // An IPv4 prefix counts from the start of the mapped form, after its fixed 96 bits.
    r.prefix = v4 ? prefix + 96 : prefix;
    ranges_.push_back(r);
    return std::nullopt;
}

bool TrustedClients::contains(std::string_view address) const {
    if (ranges_.empty()) return false;
    Bytes a{};
    bool v4 = false;
    // An IPv4 client seen on an IPv6 socket is already in mapped form and so matches IPv4
    // ranges without a special case.
    if (!parse_address(address, a, v4)) return false;
    for (const auto& r : ranges_) {
        if (prefix_matches(a, r.bytes, r.prefix)) return true;
    }
    return false;
}

}  // namespace zdu::headers
