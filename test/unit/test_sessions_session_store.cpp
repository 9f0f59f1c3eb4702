#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "sessions/session_store.hpp"
#include "state/record_keys.hpp"

using namespace zdu::sessions;

TEST_CASE("the route an app server appends is not part of the session id", "[sessions]") {
    CHECK(strip_route_suffix("A1B2C3.node1") == "A1B2C3");           // Tomcat jvmRoute
    CHECK(strip_route_suffix("A1B2C3.node1.eu") == "A1B2C3");        // a route with dots
    CHECK(strip_route_suffix("0000A1B2C3:clone1") == "0000A1B2C3");  // WebSphere
    CHECK(strip_route_suffix("0000A1B2C3:c1:c2") == "0000A1B2C3");
    CHECK(strip_route_suffix("A1B2C3") == "A1B2C3");
    CHECK(strip_route_suffix(".node1") == ".node1");  // nothing would be left
    CHECK(strip_route_suffix("") == "");
}

TEST_CASE("a session key is the same across a failover's new route suffix", "[sessions]") {
    const std::uint64_t c1 = zdu::state::cluster_key("c1");
    const std::uint64_t c2 = zdu::state::cluster_key("c2");
    SessionKey k = session_key(42, c1, "A1B2C3.node1");
    CHECK(k == session_key(42, c1, "A1B2C3.node2"));
    CHECK(k == session_key(42, c1, "A1B2C3"));
    CHECK_FALSE(k == session_key(42, c2, "A1B2C3.node1"));  // another cluster
    CHECK_FALSE(k == session_key(43, c1, "A1B2C3.node1"));  // another block's seed
    CHECK_FALSE(k == session_key(42, c1, "A1B2C4.node1"));
    CHECK(session_key(42, c1, "").hash == 0);
}

TEST_CASE("session keys spread and never take the table's marks", "[sessions]") {
    const std::uint64_t c = zdu::state::cluster_key("c");
    std::set<std::uint64_t> seen;
    std::set<std::uint64_t> low_bits;
    for (int i = 0; i < 20000; ++i) {
        // Ids that differ in one character only, and ids of every length up to 40.
        std::string id = std::string(static_cast<std::size_t>(i % 41), 'x') + std::to_string(i);
        std::uint64_t h = session_key(7, c, id).hash;
        CHECK(h >= 2);
        seen.insert(h);
        low_bits.insert(h & 0xfff);
    }
    CHECK(seen.size() == 20000);
    CHECK(low_bits.size() > 3900);  // of 4096: the low bits are as good as the high ones
}
