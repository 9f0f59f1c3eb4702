// Parsing of the attribute and property values of loadbalancer.xml, and quoting values in the
// messages that name them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zdu::config {

std::string_view trim(std::string_view text);

// The words of `text` separated by any run of XML white space.
std::vector<std::string_view> split_words(std::string_view text);

// A decimal int, optionally signed and surrounded by white space; nullopt when anything else is
// present or the value does not fit an int.
std::optional<int> parse_int(std::string_view text);

// The DTDs' %boolean set: yes/no, on/off, 1/0, true/false (any case).
std::optional<bool> parse_bool(std::string_view text);

// 'text', as every diagnostic and manager error shows a name or value.
inline std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

}  // namespace zdu::config
