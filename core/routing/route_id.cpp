#include "routing/route_id.hpp"

#include "routing/hash.hpp"

namespace zdu::routing {

std::string derive_route_id(std::string_view cluster, std::string_view instance) {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    std::uint64_t h = stable_hash(cluster, instance);
    std::string id(8, 'a');
    for (char& c : id) {
        c = kAlphabet[h & 31u];
        h >>= 5;
    }
    return id;
}

bool is_valid_route_id(std::string_view route) {
    if (route.empty() || route.size() > 63) return false;
    for (char c : route) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

}  // namespace zdu::routing
