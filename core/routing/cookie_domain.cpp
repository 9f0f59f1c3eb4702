#include "routing/cookie_domain.hpp"

#include <algorithm>

#include "routing/hash.hpp"
#include "routing/header_text.hpp"

namespace zdu::routing {
namespace {

std::uint64_t lower_hash(std::string_view text) {
    std::uint64_t h = kFnvOffset;
    for (char c : text) {
        h ^= static_cast<unsigned char>(ascii_lower(c));
        h *= 1099511628211ull;
    }
    return h;
}

std::string_view without_leading_dot(std::string_view domain) {
    if (!domain.empty() && domain.front() == '.') domain.remove_prefix(1);
    return domain;
}

}  // namespace

InstanceHosts::InstanceHosts(const config::Cluster& cluster) {
    for (const auto& inst : cluster.instances) {
        for (const auto& l : inst.listeners) {
            if (!contains(l.host)) hosts_.emplace(lower_hash(l.host), l.host);
        }
    }
}

bool InstanceHosts::contains(std::string_view domain) const {
    domain = without_leading_dot(domain);
    if (domain.empty()) return false;
    auto [first, last] = hosts_.equal_range(lower_hash(domain));
    for (auto it = first; it != last; ++it) {
        if (iequals(it->second, domain)) return true;
    }
    return false;
}

std::optional<TextSpan> instance_cookie_domain(std::string_view set_cookie,
                                               const InstanceHosts& hosts) {
    constexpr std::string_view kDomain = "domain";
    // Attributes follow the first ';'; the name=value pair before it is never an attribute.
    for (auto semi = set_cookie.find(';'); semi != std::string_view::npos;
         semi = set_cookie.find(';', semi + 1)) {
        std::size_t start = semi + 1;
        std::size_t end = std::min(set_cookie.find(';', start), set_cookie.size());
        std::string_view attr = set_cookie.substr(start, end - start);
        auto eq = attr.find('=');
        if (eq == std::string_view::npos || !iequals(trim_ows(attr.substr(0, eq)), kDomain)) {
            continue;
        }
        std::string_view value = trim_ows(attr.substr(eq + 1));
        if (!hosts.contains(value)) return std::nullopt;
        return TextSpan{static_cast<std::size_t>(value.data() - set_cookie.data()), value.size()};
    }
    return std::nullopt;
}

}  // namespace zdu::routing
