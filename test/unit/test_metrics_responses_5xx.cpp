// The 5xx an instance answered: read from its shared record into the status data and its JSON,
// and carried into a larger block with the other counters.
#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "manager/answers.hpp"
#include "manager/status.hpp"
#include "state/record_keys.hpp"
#include "state/shared_records.hpp"
#include "state/state_carry.hpp"

using namespace zdu;
using namespace std::chrono_literals;

TEST_CASE("status reads an instance's 5xx apart from its failures", "[metrics][manager]") {
    config::Instance inst;
    inst.name = "i1";
    state::SharedRecord record{};
    record.failures = 2;
    record.responses_5xx = 9;
    const manager::InstanceStatus s = manager::read_status(inst, "r1", record);
    CHECK(s.failures == 2);
    CHECK(s.responses_5xx == 9);
    manager::ClusterStatus cluster;
    cluster.name = "c1";
    cluster.instances = {s};
    const std::string json = manager::status_answer({}, {cluster}, {}, 0us);
    CHECK_THAT(json, Catch::Contains(R"("failures":2,)"));
    CHECK_THAT(json, Catch::Contains(R"("responses_5xx":9})"));
}

TEST_CASE("a larger block carries the 5xx count", "[metrics][state]") {
    std::vector<std::uint64_t> small(state::SharedTable::bytes_for(8) / 8);
    std::vector<std::uint64_t> large(state::SharedTable::bytes_for(64) / 8);
    state::SharedTable from = state::SharedTable::create(small.data(), 8);
    state::SharedTable to = state::SharedTable::create(large.data(), 64);
    from.claim(state::instance_key("c", "i"))->responses_5xx = 41;
    from.claim(state::instance_key("c", "j"))->responses_5xx = 0;
    REQUIRE(state::copy_records(from, to) == 0);
    CHECK(to.find(state::instance_key("c", "i"))->responses_5xx == 41);
    CHECK(to.find(state::instance_key("c", "j"))->responses_5xx == 0);
}
