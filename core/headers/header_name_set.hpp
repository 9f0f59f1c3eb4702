// A fixed set of HTTP header names, looked up case-insensitively without allocating: built at
// config time, asked once per request header on the request path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zdu::headers {

// RFC 9110 token: the characters a header field name may have.
bool is_header_name(std::string_view name) noexcept;

class HeaderNameSet {
  public:
    HeaderNameSet() = default;
    // Names are kept as given (for messages); duplicates in any case are kept once.
    explicit HeaderNameSet(const std::vector<std::string>& names);

    bool contains(std::string_view name) const noexcept;
    // The same for a NUL-terminated name: most request headers start with a letter no listed
    // name starts with, and are answered from that letter alone (no strlen, no hash).
    bool contains(const char* name) const noexcept {
        const auto c = static_cast<unsigned char>(*name) | 0x20u;
        if (!(first_[c >> 6] >> (c & 63) & 1u)) return false;
        return contains(std::string_view(name));
    }
    std::size_t size() const noexcept { return names_.size(); }

  private:
    std::size_t slot_of(std::string_view name) const noexcept;

    std::vector<std::string> names_;
    // Open addressing over indices into names_ (-1: empty).
    std::vector<std::int32_t> slots_;
    // Bit c: some name's first character, or'ed with 0x20 (lower case for letters), is c.
    std::uint64_t first_[4] = {0, 0, 0, 0};
    // Bit n (n < 63): some name is n characters long; bit 63: some name is longer.
    std::uint64_t lengths_ = 0;
};

}  // namespace zdu::headers
