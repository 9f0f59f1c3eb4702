#include "sessions/session_store.hpp"

#include <algorithm>
#include <cstring>

namespace zdu::sessions {
namespace {

// 64x64->128 multiply folded to 64 bits: every input bit reaches every output bit, and the
// secret seed enters each step, so a client that does not know the seed cannot pick ids that
// land in one bucket.
std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
    unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
    return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

constexpr std::uint64_t kP0 = 0xa0761d6478bd642full;
constexpr std::uint64_t kP1 = 0xe7037ed1a0b428dbull;
constexpr std::uint64_t kP2 = 0x8ebc6af09c88c6e3ull;

}  // namespace

std::string_view strip_route_suffix(std::string_view session_id) {
    // The first '.' (Tomcat, GlassFish) or ':' (WebSphere) starts the route; ids without one
    // are kept whole, and so is an id that would be left empty.
    // Two memchr, each word-at-a-time: this runs for every request that carries a session
    // (libstdc++'s find_first_of would call memchr on the set once per character).
    std::size_t cut = std::min(session_id.find('.'), session_id.find(':'));
    if (cut == std::string_view::npos || cut == 0) return session_id;
    return session_id.substr(0, cut);
}

SessionKey session_key(std::uint64_t seed, std::uint64_t cluster_key, std::string_view session_id) {
    std::string_view id = strip_route_suffix(session_id);
    if (id.empty()) return {};
    std::uint64_t h = mix(seed ^ kP0, cluster_key ^ kP1);
    std::size_t i = 0;
    for (; i + 8 <= id.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, id.data() + i, 8);
        h = mix(h ^ w ^ kP1, seed ^ kP2);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, id.data() + i, id.size() - i);
    h = mix(h ^ tail ^ kP2, (seed ^ kP0) + id.size());
    h = mix(h ^ kP1, kP2 ^ seed);
    return {h < 2 ? h + 2 : h};  // 0 and 1 are the table's free and deleted marks
}

}  // namespace zdu::sessions
