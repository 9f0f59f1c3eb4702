#include "routing/path_encoding.hpp"

#include <cstring>

namespace zdu::routing {
namespace {

bool is_plain(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && std::strchr("~$-_.+!*'(),;:@&=/", c) != nullptr);
}

struct PlainTable {
    bool plain[256] = {};
    PlainTable() {
        for (int c = 0; c < 256; ++c) plain[c] = is_plain(static_cast<unsigned char>(c));
    }
};

bool encoded_slash_at(std::string_view uri, std::size_t i) {
    return i + 2 < uri.size() && uri[i + 1] == '2' && (uri[i + 2] == 'F' || uri[i + 2] == 'f');
}

}  // namespace

bool path_is_plain(std::string_view uri) noexcept {
    static const PlainTable table;
    for (char c : uri) {
        if (!table.plain[static_cast<unsigned char>(c)]) return false;
    }
    return true;
}

std::size_t encode_path_keeping_encoded_slashes(std::string_view uri, char* out) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    char* const start = out;
    for (std::size_t i = 0; i < uri.size(); ++i) {
        const auto c = static_cast<unsigned char>(uri[i]);
        if (c == '%' && encoded_slash_at(uri, i)) {
            std::memcpy(out, uri.data() + i, 3);
            out += 3;
            i += 2;
        } else if (is_plain(c)) {
            *out++ = static_cast<char>(c);
        } else {
            *out++ = '%';
            *out++ = kHex[c >> 4];
            *out++ = kHex[c & 0xf];
        }
    }
    return static_cast<std::size_t>(out - start);
}

std::string encode_path_keeping_encoded_slashes(std::string_view uri) {
    std::string out(3 * uri.size(), '\0');
    out.resize(encode_path_keeping_encoded_slashes(uri, out.data()));
    return out;
}

}  // namespace zdu::routing
