#include "manager/page_session.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cctype>

namespace zdu::manager {
namespace {

constexpr std::size_t kMacHexChars = 64;  // SHA-256
constexpr std::size_t kMaxExpiryDigits = 18;

std::string hex(const unsigned char* p, unsigned int n) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * n);
    for (unsigned int i = 0; i < n; ++i) {
        out += kDigits[p[i] >> 4];
        out += kDigits[p[i] & 15];
    }
    return out;
}

// Empty on a libcrypto failure: then nothing is signed and nothing accepted.
std::string hmac_hex(std::string_view key, std::string_view message) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(message.data()), message.size(), md.data(),
             &size) == nullptr) {
        return {};
    }
    return hex(md.data(), size);
}

// A key of its own for the page, so a MAC made here is never valid anywhere else the secret
// might be used.
std::string page_key(std::string_view secret) {
    return hmac_hex(secret, "mod_zdu status page v1");
}

std::string session_mac(std::string_view key, std::string_view expiry) {
    return hmac_hex(key, "session:" + std::string(expiry));
}

bool equal_macs(std::string_view expected, std::string_view given) {
    return !expected.empty() && expected.size() == given.size() &&
           CRYPTO_memcmp(expected.data(), given.data(), given.size()) == 0;
}

bool parse_expiry(std::string_view text, std::int64_t& out) {
    if (text.empty() || text.size() > kMaxExpiryDigits) return false;
    out = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        out = out * 10 + (c - '0');
    }
    return true;
}

bool path_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '_' ||
           c == '-' || c == '~';
}

}  // namespace

std::string make_page_session(std::string_view secret, std::int64_t now_s,
                              std::int64_t lifetime_s) {
    if (secret.empty()) return {};
    const std::string expiry = std::to_string(now_s + lifetime_s);
    const std::string mac = session_mac(page_key(secret), expiry);
    return mac.empty() ? std::string() : expiry + "." + mac;
}

bool page_session_valid(std::string_view secret, std::string_view value, std::int64_t now_s) {
    if (secret.empty() || value.size() > kMaxExpiryDigits + 1 + kMacHexChars) return false;
    const std::size_t dot = value.find('.');
    if (dot == std::string_view::npos) return false;
    std::int64_t expiry = 0;
    if (!parse_expiry(value.substr(0, dot), expiry)) return false;
    const bool mac_ok =
        equal_macs(session_mac(page_key(secret), value.substr(0, dot)), value.substr(dot + 1));
    return mac_ok && now_s < expiry;
}

std::string page_token(std::string_view secret, std::string_view session) {
    if (secret.empty() || session.empty()) return {};
    return hmac_hex(page_key(secret), "token:" + std::string(session));
}

bool page_token_valid(std::string_view secret, std::string_view session, std::string_view token) {
    return !session.empty() && equal_macs(page_token(secret, session), token);
}

std::string cookie_value(const char* cookie_header, std::string_view name) {
    if (!cookie_header) return {};
    std::string_view rest(cookie_header);
    while (!rest.empty()) {
        std::size_t end = rest.find(';');
        std::string_view pair = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        const std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return std::string(pair.substr(eq + 1));
        }
    }
    return {};
}

std::string session_set_cookie(std::string_view value, std::string_view path, bool secure,
                               std::int64_t max_age_s) {
    bool safe = !path.empty() && path.front() == '/';
    for (char c : path) safe = safe && path_char(c);
    std::string out = std::string(kPageCookieName) + "=" + std::string(value) +
                      "; Path=" + (safe ? std::string(path) : std::string("/")) +
                      "; Max-Age=" + std::to_string(max_age_s) + "; HttpOnly; SameSite=Strict";
    if (secure) out += "; Secure";
    return out;
}

std::string own_origin(std::string_view scheme, std::string_view host) {
    std::string out(scheme);
    out += "://";
    for (char c : host) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // The default port is left out of an Origin header; drop it here too so they compare.
    if (scheme == "http" && out.size() > 3 && out.compare(out.size() - 3, 3, ":80") == 0) {
        out.resize(out.size() - 3);
    } else if (scheme == "https" && out.size() > 4 && out.compare(out.size() - 4, 4, ":443") == 0) {
        out.resize(out.size() - 4);
    }
    return out;
}

bool same_origin_request(std::string_view own, const char* origin, const char* referer) {
    if (origin) {
        std::string given;
        for (const char* p = origin; *p; ++p) {
            given += static_cast<char>(std::tolower(static_cast<unsigned char>(*p)));
        }
        return given == own;
    }
    if (referer) {
        std::string_view r(referer);
        if (r.size() < own.size() || r.substr(0, own.size()) != own) return false;
        // "http://host:80" must not pass for "http://host:8080/…": the origin ends there.
        return r.size() == own.size() || r[own.size()] == '/' || r[own.size()] == '?';
    }
    return true;
}

}  // namespace zdu::manager
