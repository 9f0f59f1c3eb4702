// A new block made from a live one at a graceful restart: the requests a gauge counts are
// those of the old children, which end against the old block's records.
#include <catch2/catch.hpp>
#include <vector>

#include "state/shared_records.hpp"
#include "state/state_carry.hpp"

using namespace zdu::state;

TEST_CASE("long-lived requests in flight are not carried into a new block", "[review11]") {
    std::vector<std::uint64_t> old_mem(SharedTable::bytes_for(8) / 8 + 1);
    SharedTable old_table = SharedTable::create(old_mem.data(), 8);
    SharedRecord& r = *old_table.claim(42);
    r.long_lived = 3;  // three WebSockets of an old child, still open
    r.requests = 17;   // a counter: carried
    std::vector<std::uint64_t> new_mem(SharedTable::bytes_for(16) / 8 + 1);
    SharedTable new_table = SharedTable::create(new_mem.data(), 16);
    REQUIRE(copy_records(old_table, new_table) == 0);
    const SharedRecord* carried = new_table.find(42);
    REQUIRE(carried != nullptr);
    CHECK(carried->requests.load() == 17);
    // Nothing would ever take them off the new record: its instance would never drain.
    CHECK(carried->long_lived.load() == 0);
}
