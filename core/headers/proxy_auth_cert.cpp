#include "headers/proxy_auth_cert.hpp"

#include <algorithm>

namespace zdu::headers {
namespace {

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
constexpr std::string_view kBreak = "% d% a";  // what GlassFish replaces with "\n"

bool is_base64(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '=';
}

// Calls f(line) for each non-empty line of the body, without its line break; false as soon as a
// line holds anything but base64.
template <typename F>
bool each_line(std::string_view body, F&& f) {
    while (!body.empty()) {
        std::size_t end = body.find('\n');
        std::string_view line = body.substr(0, end);
        body.remove_prefix(end == std::string_view::npos ? body.size() : end + 1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        if (line.empty()) continue;
        for (char c : line) {
            if (!is_base64(c)) return false;
        }
        f(line);
    }
    return true;
}

std::string_view body_of(std::string_view pem) {
    std::size_t begin = pem.find(kBegin);
    if (begin == std::string_view::npos) return {};
    pem.remove_prefix(begin + kBegin.size());
    std::size_t end = pem.find(kEnd);
    if (end == std::string_view::npos) return {};
    return pem.substr(0, end);
}

}  // namespace

ProxyAuthCert::ProxyAuthCert(std::string_view pem) noexcept : body_(body_of(pem)) {
    std::size_t size = 0;
    std::size_t lines = 0;
    bool ok = each_line(body_, [&](std::string_view line) {
        size += line.size();
        ++lines;
    });
    size_ = ok && lines > 0 ? size + (lines - 1) * kBreak.size() : 0;
}

void ProxyAuthCert::write(char* out) const noexcept {
    bool first = true;
    each_line(body_, [&](std::string_view line) {
        if (!first) out = std::copy(kBreak.begin(), kBreak.end(), out);
        out = std::copy(line.begin(), line.end(), out);
        first = false;
    });
}

std::string proxy_auth_cert(std::string_view pem) {
    ProxyAuthCert cert(pem);
    std::string value(cert.size(), '\0');
    if (cert.valid()) cert.write(value.data());
    return value;
}

}  // namespace zdu::headers
