// The client addresses the side door is open to (ZduSideDoorClients): CIDR ranges, IPv4 and
// IPv6. Parsed at config time; a lookup is a few compares per range, no allocation.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zdu::headers {

class TrustedClients {
  public:
    // Adds "10.0.0.0/8", "127.0.0.1", "::1/128" …; an error message naming `range` when it is
    // not an address with an optional prefix length in range.
    std::optional<std::string> add(std::string_view range);
    // Whether `address` (the textual client address, as httpd's useragent_ip) is in a range.
    // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) matches IPv4 ranges.
    bool contains(std::string_view address) const;
    bool empty() const { return ranges_.empty(); }

  private:
    struct Range {
        std::array<std::uint8_t, 16> bytes{};  // IPv4 as IPv4-mapped IPv6
        int prefix = 0;                        // bits, of the 128
    };
    std::vector<Range> ranges_;
};

}  // namespace zdu::headers
