#include "sessions/version_pin.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

namespace zdu::sessions {
namespace {

// Anything longer is not a pin this module wrote (at most a 64-character version, an 18-digit time
// and a 43-character signature): rejected before any parsing or hashing work is spent on it.
constexpr std::size_t kMaxPinValue = 256;
constexpr std::size_t kMaxVersion = 64;
constexpr std::size_t kMaxIssuedDigits = 18;  // far beyond any real time, never overflows
constexpr std::int64_t kFutureSlackS = 60;    // clocks of front-ends sharing a key drift a little
constexpr std::size_t kSignatureChars = 43;   // 32 bytes in base64url without padding

bool version_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

// The signed message. The cluster name (free text) is length-prefixed, so it cannot imitate the
// separators; the version's alphabet and the digits of the time contain no '\n'. The leading tag
// keeps this MAC from being valid for any other message a future use of the key might sign.
std::string message(std::string_view cluster, std::string_view version, std::int64_t issued_s) {
    std::string m = "zdu-pin-1\n";
    m += std::to_string(cluster.size());
    m += ':';
    m.append(cluster.data(), cluster.size());
    m += '\n';
    m.append(version.data(), version.size());
    m += '\n';
    m += std::to_string(issued_s);
    return m;
}

std::string base64url(const unsigned char* data, std::size_t size) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((size * 4 + 2) / 3);
    std::size_t i = 0;
    for (; i + 3 <= size; i += 3) {
        const std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) |
                                std::uint32_t{data[i + 2]};
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    if (size - i == 1) {
        const std::uint32_t v = std::uint32_t{data[i]} << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
    } else if (size - i == 2) {
        const std::uint32_t v = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
    }
    return out;
}

// Empty when the MAC cannot be computed (libcrypto failure): the caller then neither signs nor
// accepts anything, which only turns pins off.
std::string signature(std::string_view key, std::string_view cluster, std::string_view version,
                      std::int64_t issued_s) {
    const std::string m = message(cluster, version, issued_s);
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int md_size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(m.data()), m.size(), md.data(),
             &md_size) == nullptr) {
        return {};
    }
    return base64url(md.data(), md_size);
}

bool signature_matches(std::string_view key, std::string_view cluster, std::string_view version,
                       std::int64_t issued_s, std::string_view given) {
    if (key.empty()) return false;
    const std::string expected = signature(key, cluster, version, issued_s);
    // Lengths are public (fixed by the hash); the bytes are compared in constant time so a
    // client cannot find a valid signature byte by byte from response times.
    return !expected.empty() && expected.size() == given.size() &&
           CRYPTO_memcmp(expected.data(), given.data(), given.size()) == 0;
}

std::optional<std::int64_t> parse_issued(std::string_view text) {
    if (text.empty() || text.size() > kMaxIssuedDigits) return std::nullopt;
    std::int64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

}  // namespace

std::string sign_pin(const PinKeys& keys, std::string_view cluster, std::string_view version,
                     std::int64_t issued_s) {
    if (!keys.enabled()) return {};
    const std::string sig = signature(keys.current, cluster, version, issued_s);
    if (sig.empty()) return {};
    std::string value(version);
    value += '.';
    value += std::to_string(issued_s);
    value += '.';
    value += sig;
    return value;
}

std::optional<std::string_view> verify_pin(const PinKeys& keys, std::string_view cluster,
                                           std::string_view value, std::int64_t now_s,
                                           std::int64_t max_age_s) {
    if (!keys.enabled() || value.size() > kMaxPinValue) return std::nullopt;
    // From the right: the version may itself contain dots, the time and signature cannot.
    const auto sig_dot = value.rfind('.');
    if (sig_dot == std::string_view::npos || sig_dot == 0) return std::nullopt;
    const auto time_dot = value.rfind('.', sig_dot - 1);
    if (time_dot == std::string_view::npos) return std::nullopt;
    const std::string_view version = value.substr(0, time_dot);
    const std::string_view issued_text = value.substr(time_dot + 1, sig_dot - time_dot - 1);
    const std::string_view sig = value.substr(sig_dot + 1);
    if (version.size() > kMaxVersion || sig.size() != kSignatureChars) return std::nullopt;
    for (char c : version) {
        if (!version_char(c)) return std::nullopt;
    }
    const auto issued = parse_issued(issued_text);
    if (!issued) return std::nullopt;
    // std::to_string(issued) must give the signed text back: "007" and "7" are different values.
    if (issued_text.size() > 1 && issued_text.front() == '0') return std::nullopt;
    if (*issued > now_s + kFutureSlackS) return std::nullopt;
    if (now_s - *issued > max_age_s) return std::nullopt;
    if (signature_matches(keys.current, cluster, version, *issued, sig) ||
        signature_matches(keys.previous, cluster, version, *issued, sig)) {
        return version;
    }
    return std::nullopt;
}

}  // namespace zdu::sessions
