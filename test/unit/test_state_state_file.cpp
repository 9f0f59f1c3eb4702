#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "state/record_keys.hpp"
#include "state/state_carry.hpp"
#include "state/state_file.hpp"
#include "state/state_file_io.hpp"

using namespace zdu::state;

namespace {

StateFile sample() {
    StateFile f;
    f.written_ms = 1764576000123;
    InstanceState a;
    a.cluster = "c1";
    a.instance = "i1";
    a.admin = AdminState::Disabled;
    a.admin_since_ms = 1764575000000;
    a.disabled_since_ms = 1764574000000;
    a.unhealthy_since_ms = 1764573000000;
    a.last_error = 2;
    a.last_error_ms = 1764573000001;
    a.check_failures = 3;
    a.sessions_unknown_since_ms = 1764576000123;
    a.drain_state = 2;  // drained
    a.draining_since_ms = 1764575500000;
    a.drained_since_ms = 1764575900000;
    InstanceState odd;
    odd.cluster = "my cluster";
    odd.instance = "50%=half\tx\xc3\xa9";
    odd.admin = AdminState::Stopped;
    InstanceState empty_name;
    empty_name.cluster = "c1";
    f.instances = {a, odd, empty_name};
    f.web_modules = {{"c1", "/app", 1764570000000}, {"c1", "/", 0}};
    return f;
}

std::string error_of(std::string_view text) {
    StateFileParse p = parse_state_file(text, "lb.xml.state");
    CHECK_FALSE(p.ok());
    CHECK(p.file.instances.empty());
    return p.error;
}

std::string temp_dir() {
    char pattern[] = "/tmp/zdu-state-test-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    return pattern;
}

}  // namespace

TEST_CASE("the state file reads back what was written", "[state]") {
    StateFile f = sample();
    std::string text = format_state_file(f);
    CHECK(text.find("instance my%20cluster 50%25%3Dhalf%09x%C3%A9 admin=stopped") !=
          std::string::npos);
    CHECK(text.find(" drain-state=drained draining-since-ms=1764575500000 "
                    "drained-since-ms=1764575900000\n") != std::string::npos);
    CHECK(text.find(" drain-state=active draining-since-ms=0 drained-since-ms=0\n") !=
          std::string::npos);
    StateFileParse p = parse_state_file(text, "x");
    REQUIRE(p.ok());
    CHECK(p.file.written_ms == f.written_ms);
    CHECK(p.file.instances == f.instances);
    CHECK(p.file.web_modules == f.web_modules);
    CHECK(format_state_file(p.file) == text);
}

TEST_CASE("the state file parser skips fields it does not know", "[state]") {
    StateFileParse p = parse_state_file(
        "zdu-state 1\n# a comment\n\ninstance c i admin=disabled drain=later\nend\n", "x");
    REQUIRE(p.ok());
    REQUIRE(p.file.instances.size() == 1);
    CHECK(p.file.instances[0].admin == AdminState::Disabled);
}

TEST_CASE("a drain state the parser does not know makes the file unusable", "[state]") {
    CHECK(error_of("zdu-state 1\ninstance c i drain-state=later\nend\n") ==
          "lb.xml.state:2: bad value 'later' for drain-state");
    StateFileParse p =
        parse_state_file("zdu-state 1\ninstance c i drain-state=draining\nend\n", "x");
    REQUIRE(p.ok());
    CHECK(p.file.instances[0].drain_state == 1);
}

TEST_CASE("the state file parser says where a file is wrong", "[state]") {
    CHECK(error_of("") == "lb.xml.state:1: incomplete (no 'end' line)");
    CHECK(error_of("hello\n") ==
          "lb.xml.state:1: not a mod_zdu state file (no 'zdu-state <format>' line)");
    CHECK(error_of("zdu-state 2\nend\n") == "lb.xml.state:1: format 2 (this build reads 1)");
    CHECK(error_of("zdu-state 1\ninstance c i admin=paused\nend\n") ==
          "lb.xml.state:2: bad value 'paused' for admin");
    CHECK(error_of("zdu-state 1\n\ninstance c i disabled-since-ms=12x\nend\n") ==
          "lb.xml.state:3: bad value '12x' for disabled-since-ms");
    CHECK(error_of("zdu-state 1\ninstance c\nend\n") ==
          "lb.xml.state:2: instance needs a cluster and a name");
    CHECK(error_of("zdu-state 1\ninstance c i%4\nend\n") ==
          "lb.xml.state:2: bad %-escape in a name");
    CHECK(error_of("zdu-state 1\nweb-module c /a disabled\nend\n") ==
          "lb.xml.state:2: 'disabled' is not key=value");
    CHECK(error_of("zdu-state 1\nsession c i x\nend\n") ==
          "lb.xml.state:2: unknown line 'session'");
    CHECK(error_of("zdu-state 1\nwritten-ms soon\nend\n") == "lb.xml.state:2: bad written-ms");
    CHECK(error_of("zdu-state 1\nend\ninstance c i\n") == "lb.xml.state:3: text after 'end'");
    // Cut short (a disk full before the rename was checked, or a hand edit).
    std::string text = format_state_file(sample());
    CHECK(error_of(text.substr(0, text.size() - 4)) ==
          "lb.xml.state:8: incomplete (no 'end' line)");
}

TEST_CASE("the state file is written atomically and read back from disk", "[state]") {
    std::string dir = temp_dir();
    std::string path = dir + "/lb.xml.state";
    CHECK_FALSE(read_state_file(path).found);
    REQUIRE(write_state_file(path, sample()).empty());
    StateFileRead read = read_state_file(path);
    REQUIRE(read.usable());
    CHECK(read.parse.file.instances == sample().instances);
    // No temp file is left behind.
    CHECK(access((path + ".tmp." + std::to_string(getpid())).c_str(), F_OK) != 0);

    std::ofstream(path) << "zdu-state 1\ninstance c\n";
    read = read_state_file(path);
    CHECK(read.found);
    CHECK_FALSE(read.usable());
    CHECK(read.error == path + ":2: instance needs a cluster and a name");

    CHECK_THAT(write_state_file(dir + "/missing/x.state", sample()),
               Catch::StartsWith("cannot create " + dir + "/missing/x.state.tmp."));
    // A directory where the file should be: found, but unreadable.
    std::string as_dir = dir + "/as-dir";
    REQUIRE(mkdir(as_dir.c_str(), 0755) == 0);
    read = read_state_file(as_dir);
    CHECK(read.found);
    CHECK_THAT(read.error, Catch::StartsWith("cannot read " + as_dir));
    std::remove(path.c_str());
    rmdir(as_dir.c_str());
    rmdir(dir.c_str());
}

TEST_CASE("state carried through a file lands in the records of a new table", "[state]") {
    std::vector<std::uint64_t> old_mem(SharedTable::bytes_for(16) / 8 + 1);
    SharedTable old_table = SharedTable::create(old_mem.data(), 16);
    SharedRecord& r = *old_table.claim(instance_key("c1", "i1"));
    r.admin_state = static_cast<std::uint32_t>(AdminState::Disabled);
    r.admin_since_ms = 10;
    r.disabled_since_ms = 20;
    r.unhealthy_since_ms = 30;
    r.last_error = 1;
    r.last_error_ms = 31;
    r.check_failures = 2;
    r.requests = 99;  // counters start again in a new block
    r.drain_state = 1;
    r.draining_since_ms = 32;
    r.drained_since_ms = 33;
    r.live_sessions = 5;  // the sessions themselves are not in the file
    SharedRecord& w = *old_table.claim(web_module_key("c1", "/app"));
    w.disabled_since_ms = 40;

    StateFile f;
    f.instances.push_back(capture_instance("c1", "i1", r, 50));
    f.web_modules.push_back(capture_web_module("c1", "/app", w));
    CHECK(f.instances[0].sessions_unknown_since_ms == 50);
    StateFileParse p = parse_state_file(format_state_file(f), "x");
    REQUIRE(p.ok());

    std::vector<std::uint64_t> new_mem(SharedTable::bytes_for(64) / 8 + 1);
    SharedTable table = SharedTable::create(new_mem.data(), 64);
    SeedCount n = seed_table(p.file, table, 70);
    CHECK(n.instances == 1);
    CHECK(n.web_modules == 1);
    CHECK(n.no_room == 0);
    const SharedRecord& got = *table.find(instance_key("c1", "i1"));
    CHECK(got.admin_state.load() == static_cast<std::uint32_t>(AdminState::Disabled));
    CHECK(got.admin_since_ms.load() == 10);
    CHECK(got.disabled_since_ms.load() == 20);
    CHECK(got.unhealthy_since_ms.load() == 30);
    CHECK(got.last_error.load() == 1);
    CHECK(got.last_error_ms.load() == 31);
    CHECK(got.check_failures.load() == 2);
    CHECK(got.requests.load() == 0);
    CHECK(got.drain_state.load() == 1);
    CHECK(got.draining_since_ms.load() == 32);
    CHECK(got.drained_since_ms.load() == 33);
    CHECK(got.live_sessions.load() == 0);
    // The new block's birth: its table knows none of the instance's sessions.
    CHECK(got.sessions_unknown_since_ms.load() == 70);

    // Without a time the file's own is kept.
    std::vector<std::uint64_t> kept_mem(SharedTable::bytes_for(64) / 8 + 1);
    SharedTable kept = SharedTable::create(kept_mem.data(), 64);
    seed_table(p.file, kept);
    CHECK(kept.find(instance_key("c1", "i1"))->sessions_unknown_since_ms.load() == 50);
    CHECK(table.find(web_module_key("c1", "/app"))->disabled_since_ms.load() == 40);
}

TEST_CASE("seeding counts the entries a full table has no room for", "[state]") {
    std::vector<std::uint64_t> mem(SharedTable::bytes_for(8) / 8 + 1);
    SharedTable table = SharedTable::create(mem.data(), 8);
    StateFile f;
    for (int i = 0; i < 10; ++i) f.instances.push_back({"c", "i" + std::to_string(i)});
    SeedCount n = seed_table(f, table);
    CHECK(n.instances == 8);
    CHECK(n.no_room == 2);
}

TEST_CASE("records are copied by key into a larger table", "[state]") {
    std::vector<std::uint64_t> small_mem(SharedTable::bytes_for(8) / 8 + 1);
    SharedTable small = SharedTable::create(small_mem.data(), 8);
    for (std::uint64_t k = 1; k <= 8; ++k) {
        SharedRecord& r = *small.claim(k * 8);  // colliding keys: placement differs when larger
        r.requests = k;
        r.admin_state = static_cast<std::uint32_t>(AdminState::Stopped);
        r.response_time_us = k * 100;
        // The upgrade core's fields, first and last of them.
        r.drain_state = 2;
        r.drained_since_ms = static_cast<std::int64_t>(k) * 1000;
        r.sessions_unknown_since_ms = 7;
        r.session_overflow = k + 1;
    }
    std::vector<std::uint64_t> big_mem(SharedTable::bytes_for(64) / 8 + 1);
    SharedTable big = SharedTable::create(big_mem.data(), 64);
    CHECK(copy_records(small, big) == 0);
    CHECK(big.used() == 8);
    for (std::uint64_t k = 1; k <= 8; ++k) {
        const SharedRecord* r = big.find(k * 8);
        REQUIRE(r != nullptr);
        CHECK(r->requests.load() == k);
        CHECK(r->admin_state.load() == static_cast<std::uint32_t>(AdminState::Stopped));
        CHECK(r->response_time_us.load() == k * 100);
        CHECK(r->drain_state.load() == 2);
        CHECK(r->drained_since_ms.load() == static_cast<std::int64_t>(k) * 1000);
        CHECK(r->sessions_unknown_since_ms.load() == 7);
        CHECK(r->session_overflow.load() == k + 1);
    }
    std::vector<std::uint64_t> tiny_mem(SharedTable::bytes_for(4) / 8 + 1);
    std::vector<std::uint64_t> other_mem(SharedTable::bytes_for(8) / 8 + 1);
    SharedTable other = SharedTable::create(other_mem.data(), 8);
    other.claim(1000);
    CHECK(copy_records(small, other) == 1);
}
