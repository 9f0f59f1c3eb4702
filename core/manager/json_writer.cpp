#include "manager/json_writer.hpp"

#include <cstdio>

namespace zdu::manager {
namespace {

constexpr std::string_view kReplacement = "\\ufffd";

void append_escaped_control(std::string& out, unsigned c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", c);
    out += buf;
}

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF); 0 when it is not one.
std::size_t utf8_length(std::string_view s) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char b0 = byte(0);
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (b0 >= 0xc2 && b0 <= 0xdf) {
        len = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
        len = 3;
        if (b0 == 0xe0) lo = 0xa0;
        if (b0 == 0xed) hi = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
        len = 4;
        if (b0 == 0xf0) lo = 0x90;
        if (b0 == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (s.size() < len || byte(1) < lo || byte(1) > hi) return 0;
    for (std::size_t i = 2; i < len; ++i) {
        if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
    }
    return len;
}

void append_ascii(std::string& out, char ch) {
    switch (ch) {
        case '"':
            out += "\\\"";
            return;
        case '\\':
            out += "\\\\";
            return;
        case '\b':
            out += "\\b";
            return;
        case '\f':
            out += "\\f";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\r':
            out += "\\r";
            return;
        case '\t':
            out += "\\t";
            return;
        default:
            break;
    }
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
        append_escaped_control(out, c);
    } else {
        out += ch;
    }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    std::size_t i = 0;
    while (i < text.size()) {
        if (static_cast<unsigned char>(text[i]) < 0x80) {
            append_ascii(out, text[i++]);
            continue;
        }
        std::size_t len = utf8_length(text.substr(i));
        std::string_view seq = text.substr(i, len);
        if (len == 0) {
            out += kReplacement;
            ++i;
        } else if (seq == "\xe2\x80\xa8" || seq == "\xe2\x80\xa9") {
            // Line and paragraph separators: valid JSON, but they end a JavaScript string.
            out += seq.back() == '\xa8' ? "\\u2028" : "\\u2029";
            i += len;
        } else {
            out += seq;
            i += len;
        }
    }
    out += '"';
}

JsonWriter& JsonWriter::begin_object() {
    before_value();
    out_ += '{';
    has_items_.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    out_ += '}';
    has_items_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    before_value();
    out_ += '[';
    has_items_.push_back(false);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    out_ += ']';
    has_items_.pop_back();
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    before_value();
    append_json_string(out_, name);
    out_ += ':';
    after_key_ = true;
    return *this;
}

JsonWriter& JsonWriter::str(std::string_view value) {
    before_value();
    append_json_string(out_, value);
    return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
    before_value();
    out_ += value ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    before_value();
    out_ += "null";
    return *this;
}

JsonWriter& JsonWriter::millis(std::chrono::microseconds value) {
    before_value();
    long long us = value.count();
    if (us < 0) {
        out_ += '-';
        us = -us;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%03lld", us / 1000, us % 1000);
    out_ += buf;
    return *this;
}

// A value right after its key takes no comma; any other item after the first does.
void JsonWriter::before_value() {
    if (after_key_) {
        after_key_ = false;
        return;
    }
    if (has_items_.empty()) return;
    if (has_items_.back()) out_ += ',';
    has_items_.back() = true;
}

}  // namespace zdu::manager
