#include "routing/dot_segments.hpp"

#include <cstddef>

namespace zdu::routing {
namespace {

// The length of the segment separator at path[i], or 0 when there is none.
std::size_t separator_at(std::string_view path, std::size_t i) {
    char c = path[i];
    if (c == '/' || c == '\\') return 1;
    if (c != '%' || i + 2 >= path.size()) return 0;
    char hi = path[i + 1];
    char lo = static_cast<char>(path[i + 2] | 0x20);  // hex digits in either case
    return (hi == '2' && lo == 'f') || (hi == '5' && lo == 'c') ? 3 : 0;
}

bool is_dot_segment(std::string_view segment) {
    if (segment.empty() || segment[0] != '.') return false;  // most segments: one compare
    segment = segment.substr(0, segment.find(';'));
    return segment == "." || segment == "..";
}

}  // namespace

bool has_dot_segment(std::string_view path) {
    // Most paths have no '.' at all: one memchr answers for them.
    if (path.find('.') == std::string_view::npos) return false;
    std::size_t start = 0;
    for (std::size_t i = 0; i < path.size();) {
        std::size_t sep = separator_at(path, i);
        if (sep == 0) {
            ++i;
            continue;
        }
        if (is_dot_segment(path.substr(start, i - start))) return true;
        i += sep;
        start = i;
    }
    return is_dot_segment(path.substr(start));
}

}  // namespace zdu::routing
