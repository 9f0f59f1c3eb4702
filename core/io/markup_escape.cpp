#include "io/markup_escape.hpp"

namespace zdu::io {
namespace {

// The reference for c under `how`, empty when c is copied as it is.
std::string_view reference(char c, const MarkupEscape& how) {
    switch (c) {
        case '&':
            return "&amp;";
        case '<':
            return "&lt;";
        case '>':
            return "&gt;";
        case '"':
            return how.quote ? "&quot;" : "";
        case '\'':
            return how.apostrophe;
        case '\t':
            return how.whitespace ? "&#9;" : "";
        case '\n':
            return how.whitespace ? "&#10;" : "";
        case '\r':
            return how.carriage_return ? "&#13;" : "";
        default:
            return "";
    }
}

bool other_control(char c) {
    return static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

}  // namespace

std::string escape_markup(std::string_view text, const MarkupEscape& how) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (std::string_view ref = reference(c, how); !ref.empty()) {
            out += ref;
        } else if (how.controls_to_space && other_control(c)) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace zdu::io
