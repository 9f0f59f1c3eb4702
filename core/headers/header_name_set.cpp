#include "headers/header_name_set.hpp"

#include <algorithm>

#include "routing/header_text.hpp"

namespace zdu::headers {
namespace {

bool is_tchar(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

unsigned lower_at(std::string_view name, std::size_t i) {
    return static_cast<unsigned char>(routing::ascii_lower(name[i]));
}

// Length and three lower-cased characters rather than every byte: each request header is
// looked up, so the hash must be cheap, and a collision costs only a comparison (a probe run is
// bounded by the few configured names, whatever a client sends). Every spelling of a name
// hashes alike.
std::uint32_t hash_nocase(std::string_view name) {
    if (name.empty()) return 0;
    std::size_t n = name.size();
    std::uint32_t h = static_cast<std::uint32_t>(n) | lower_at(name, 0) << 8 |
                      lower_at(name, n / 2) << 16 | lower_at(name, n - 1) << 24;
    return (h * 2654435761u) >> 7;
}

// At most a quarter full: a miss, the usual answer, mostly ends at the first slot.
std::size_t table_size(std::size_t names) {
    std::size_t size = 16;
    while (size < names * 4) size *= 2;
    return size;
}

}  // namespace

bool is_header_name(std::string_view name) noexcept {
    if (name.empty()) return false;
    for (char c : name) {
        if (!is_tchar(c)) return false;
    }
    return true;
}

HeaderNameSet::HeaderNameSet(const std::vector<std::string>& names)
    : slots_(table_size(names.size()), -1) {
    for (const std::string& name : names) {
        std::size_t slot = slot_of(name);
        if (slots_[slot] >= 0) continue;  // already there
        slots_[slot] = static_cast<std::int32_t>(names_.size());
        names_.push_back(name);
        if (!name.empty()) {
            const auto c = static_cast<unsigned char>(name[0]) | 0x20u;
            first_[c >> 6] |= std::uint64_t{1} << (c & 63);
        }
        lengths_ |= std::uint64_t{1} << std::min<std::size_t>(name.size(), 63);
    }
}

// The slot holding the name, or the empty slot where it would go.
std::size_t HeaderNameSet::slot_of(std::string_view name) const noexcept {
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash_nocase(name) & mask;; i = (i + 1) & mask) {
        std::int32_t index = slots_[i];
        if (index < 0 || routing::iequals(names_[static_cast<std::size_t>(index)], name)) {
            return i;
        }
    }
}

bool HeaderNameSet::contains(std::string_view name) const noexcept {
    if (!(lengths_ >> std::min<std::size_t>(name.size(), 63) & 1u)) return false;
    return !slots_.empty() && slots_[slot_of(name)] >= 0;
}

}  // namespace zdu::headers
