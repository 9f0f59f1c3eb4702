#include "routing/version.hpp"

#include <algorithm>

#include "routing/hash.hpp"

namespace zdu::routing {
namespace {

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// "1", "1.2", "10.0.3": no empty part, digits only.
bool dotted_digits(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (s[i - 1] == '.') return false;
        } else if (!is_digit(s[i])) {
            return false;
        }
    }
    return true;
}

// Compares two runs of digits by value, whatever their length or leading zeros.
int compare_numbers(std::string_view a, std::string_view b) {
    auto strip = [](std::string_view s) {
        while (s.size() > 1 && s.front() == '0') s.remove_prefix(1);
        return s;
    };
    a = strip(a);
    b = strip(b);
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

std::string_view next_part(std::string_view& s) {
    std::size_t dot = s.find('.');
    std::string_view part = s.substr(0, dot);
    s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    return part;
}

int compare_text(std::string_view a, std::string_view b) {
    int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool version_char(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '_' || c == '-';
}

}  // namespace

int compare_versions(std::string_view a, std::string_view b) {
    if (!dotted_digits(a) || !dotted_digits(b)) return compare_text(a, b);
    const std::string_view whole_a = a, whole_b = b;
    // A missing part counts as less than any present one: "2.0" < "2.0.0" < "2.0.1", so two
    // different texts never compare equal and the order of versions stays total.
    while (!a.empty() || !b.empty()) {
        if (a.empty()) return -1;
        if (b.empty()) return 1;
        if (int c = compare_numbers(next_part(a), next_part(b)); c != 0) return c;
    }
    // "1.01" and "1.1" are the same number yet two versions: text keeps them apart.
    return compare_text(whole_a, whole_b);
}

bool valid_version(std::string_view text) {
    return !text.empty() && text.size() <= 64 &&
           std::all_of(text.begin(), text.end(), version_char);
}

std::uint64_t version_key(std::string_view version) {
    const std::uint64_t h = stable_hash(version);
    return h == 0 ? 1 : h;
}

namespace {
constexpr std::uint64_t kPercentBits = 0xff;
}  // namespace

std::uint64_t pack_canary(std::string_view version, int percent) {
    const auto p = static_cast<std::uint64_t>(std::clamp(percent, 0, 100) + 1);
    return (version_key(version) << 8) | p;
}

int canary_percent_of(std::uint64_t packed) {
    return packed == 0 ? -1 : static_cast<int>(packed & kPercentBits) - 1;
}

int resolve_version(const std::vector<std::string>& versions, std::uint64_t key) {
    if (key == 0) return -1;
    for (std::size_t v = 0; v < versions.size(); ++v) {
        if (version_key(versions[v]) == key) return static_cast<int>(v);
    }
    return -1;
}

int resolve_canary(const std::vector<std::string>& versions, std::uint64_t packed) {
    if (packed == 0) return -1;
    for (std::size_t v = 0; v < versions.size(); ++v) {
        if ((version_key(versions[v]) << 8) == (packed & ~kPercentBits)) return static_cast<int>(v);
    }
    return -1;
}

VersionPlan apply_overrides(VersionPlan base, const std::vector<std::string>& versions,
                            std::uint64_t active_key, std::uint64_t canary_packed) {
    if (const int a = resolve_version(versions, active_key); a >= 0) base.active = a;
    if (canary_packed != 0) {
        const int percent = canary_percent_of(canary_packed);
        const int c = resolve_canary(versions, canary_packed);
        if (percent == 0) {
            base.canary_percent = 0;  // stop-canary: off whatever the xml says
        } else if (c >= 0) {
            base.canary = c;
            base.canary_percent = percent;
        }
    }
    return base;
}

}  // namespace zdu::routing
