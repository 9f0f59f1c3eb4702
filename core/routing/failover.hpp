// Where a session goes when its instance cannot take it: the replica the app named, else the
// instance a consistent hash of the session id picks (first within the failed instance's
// domain), so every front-end with the same view of health picks the same one.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "routing/cluster_routes.hpp"
#include "routing/hash.hpp"
#include "routing/session_route.hpp"

namespace zdu::routing {

// Jump consistent hash (Lamping & Veach): a bucket in [0, buckets) that moves for few keys
// when buckets change.
std::int32_t jump_hash(std::uint64_t key, std::int32_t buckets);

// The member of `members` the session id hashes to among those ok(i) accepts; -1 when none.
// A few rehashes first, then a walk from the hashed position, so the answer stays the same on
// every front-end.
template <class Ok>
int consistent_pick(const std::vector<int>& members, std::string_view session_id, Ok&& ok) {
    const auto n = static_cast<std::int32_t>(members.size());
    if (n == 0 || session_id.empty()) return -1;
    std::uint64_t key = stable_hash(session_id);
    for (std::uint64_t attempt = 0; attempt < 4; ++attempt) {
        int i = members[jump_hash(key + attempt * 0x9e3779b97f4a7c15ull, n)];
        if (ok(i)) return i;
    }
    std::int32_t start = jump_hash(key, n);
    for (std::int32_t k = 0; k < n; ++k) {
        int i = members[(start + k) % n];
        if (ok(i)) return i;
    }
    return -1;
}

// The failover target for a session whose instance `failed` cannot take it, or -1 to fall
// back to the new-session policy. serves(i): may serve an existing session (the replica has
// its data); takes(i): may take a session it has not seen.
template <class Serves, class Takes>
int failover_target(const ClusterRoutes& routes, const RouteSources& sources, int failed,
                    bool consistent, Serves&& serves, Takes&& takes) {
    int replica = routes.find_name(sources.replica);
    if (replica < 0) replica = routes.find(sources.replica);
    if (replica >= 0 && replica != failed && serves(replica)) return replica;
    if (!consistent) return -1;
    auto other = [&](int i) { return i != failed && takes(i); };
    int pick = consistent_pick(routes.same_domain(failed), sources.session_id, other);
    if (pick < 0) pick = consistent_pick(routes.all(), sources.session_id, other);
    return pick;
}

}  // namespace zdu::routing
