#include "config/text.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <utility>

namespace zdu::config {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(kWhitespace);
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(kWhitespace);
    return text.substr(first, last - first + 1);
}

std::vector<std::string_view> split_words(std::string_view text) {
    std::vector<std::string_view> words;
    std::size_t pos = text.find_first_not_of(kWhitespace);
    while (pos != std::string_view::npos) {
        const auto end = text.find_first_of(kWhitespace, pos);
        words.push_back(text.substr(pos, end == std::string_view::npos ? end : end - pos));
        pos = end == std::string_view::npos ? end : text.find_first_not_of(kWhitespace, end);
    }
    return words;
}

std::optional<int> parse_int(std::string_view text) {
    text = trim(text);
    // from_chars takes a minus sign but no plus sign.
    const bool plus = !text.empty() && text.front() == '+';
    if (plus) text.remove_prefix(1);
    if (text.empty() || (plus && text.front() == '-')) return std::nullopt;
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

std::optional<bool> parse_bool(std::string_view text) {
    static constexpr std::array<std::pair<std::string_view, bool>, 8> kWords{{
        {"true", true},
        {"false", false},
        {"yes", true},
        {"no", false},
        {"on", true},
        {"off", false},
        {"1", true},
        {"0", false},
    }};
    text = trim(text);
    for (const auto& [word, value] : kWords) {
        if (iequals(text, word)) return value;
    }
    return std::nullopt;
}

}  // namespace zdu::config
