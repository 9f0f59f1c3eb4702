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
    std::size_t size() const noexcept { return names_.size(); }

  private:
    std::size_t slot_of(std::string_view name) const noexcept;

    std::vector<std::string> names_;
    // Open addressing over indices into names_ (-1: empty).
    std::vector<std::int32_t> slots_;
};

}  // namespace zdu::headers
