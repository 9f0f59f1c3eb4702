#include "config/content_hash.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <new>

namespace zdu::config {
namespace {

constexpr std::string_view kFooterStart = "<!--\n This file was generated on: [";
constexpr std::string_view kFooterEnd = "].\n-->\n";

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

std::string_view without_generated_footer(std::string_view xml) {
    if (!ends_with(xml, kFooterEnd)) return xml;
    const std::string_view body = xml.substr(0, xml.size() - kFooterEnd.size());
    const auto start = body.rfind(kFooterStart);
    if (start == std::string_view::npos) return xml;
    // The date as write_xml writes it: one line, and no "--" (comment_safe breaks those up),
    // so the footer is one comment and not the end of some other one.
    const std::string_view date = body.substr(start + kFooterStart.size());
    if (date.find("--") != std::string_view::npos || date.find('\n') != std::string_view::npos)
        return xml;
    // On a line of its own, as write_xml puts it after the closing tag.
    if (start != 0 && body[start - 1] != '\n') return xml;
    return xml.substr(0, start);
}

std::uint64_t content_hash(std::string_view xml) {
    const std::string_view content = without_generated_footer(xml);
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int size = 0;
    if (EVP_Digest(content.data(), content.size(), md.data(), &size, EVP_sha256(), nullptr) != 1 ||
        size < 8)
        throw std::bad_alloc();  // libcrypto's only failure for a built-in digest
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | md[static_cast<std::size_t>(i)];
    return value;
}

}  // namespace zdu::config
