#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "manager/answers.hpp"
#include "manager/command.hpp"
#include "manager/config_file.hpp"

using namespace zdu::manager;
using namespace std::chrono_literals;
using zdu::state::AdminState;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void spill(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

struct TempDir {
    std::string path;
    TempDir() {
        char pattern[] = "/tmp/zdu-push-XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
    int entries() const {
        std::string cmd = "test $(ls -A '" + path + "' | wc -l) -eq ";
        for (int n = 0; n < 100; ++n) {
            if (std::system((cmd + std::to_string(n)).c_str()) == 0) return n;
        }
        return -1;
    }
};

}  // namespace

TEST_CASE("push commands take POST only and push-commit needs a hex hash", "[manager][push]") {
    ParsedCommand v = parse_command("POST", "cmd=push-validate");
    REQUIRE(v.ok());
    CHECK(v.command.kind == CommandKind::PushValidate);
    CHECK(v.command.takes_body());
    CHECK_FALSE(v.command.changes_state());

    // A GET carries no body, and a link must never reach the commit.
    ParsedCommand get = parse_command("GET", "cmd=push-validate");
    CHECK(get.status == 405);
    CHECK(get.allow == "POST");
    CHECK(parse_command("GET", "cmd=push-commit&hash=0000000000000abc").status == 405);

    ParsedCommand c = parse_command("POST", "cmd=push-commit&hash=0000000000000ABC");
    REQUIRE(c.ok());
    CHECK(c.command.kind == CommandKind::PushCommit);
    CHECK(c.command.hash == "0000000000000abc");  // compared with hex64's lower case
    CHECK_FALSE(c.command.reset_overrides);
    CHECK(c.command.changes_state());

    ParsedCommand reset =
        parse_command("POST", "cmd=push-commit&hash=0123456789abcdef&reset-overrides=1");
    REQUIRE(reset.ok());
    CHECK(reset.command.reset_overrides);
    CHECK(describe(reset.command) == "push-commit hash=0123456789abcdef reset-overrides=1");

    CHECK(parse_command("POST", "cmd=push-commit").status == 400);
    CHECK_THAT(parse_command("POST", "cmd=push-commit&hash=abc").error,
               Catch::Contains("not 16 hex digits"));
    CHECK_THAT(parse_command("POST", "cmd=push-commit&hash=0123456789abcdeg").error,
               Catch::Contains("not 16 hex digits"));
    CHECK_THAT(
        parse_command("POST", "cmd=push-commit&hash=0123456789abcdef&reset-overrides=yes").error,
        Catch::Contains("not 0 or 1"));
    CHECK_THAT(parse_command("POST", "cmd=push-validate&hash=0123456789abcdef").error,
               Catch::Contains("takes no parameter"));
}

TEST_CASE("push answers carry the hash, the errors and the overrides", "[manager][push]") {
    CHECK(push_validate_answer("push-validate", 0xabc, {}, 5us) ==
          R"({"ok":true,"command":"push-validate","hash":"0000000000000abc","unchanged":false,)"
          R"("errors":[],)"
          R"("ms":0.005})");
    CHECK_THAT(push_validate_answer("push-validate", 0xabc, {}, 5us, true),
               Catch::Contains(R"("hash":"0000000000000abc","unchanged":true,)"));
    CHECK(push_validate_answer("push-commit", 1, {"12: bad weight", "cluster c1: x"}, 0us) ==
          R"({"ok":false,"command":"push-commit","hash":"0000000000000001",)"
          R"("errors":["12: bad weight","cluster c1: x"],"ms":0.000})");

    PushCommitReport report;
    report.generation = 7;
    report.hash = 0xff;
    report.changed = true;
    report.overrides = {{"c1", "i2", AdminState::Disabled, "manager", 1700000000000}};
    report.reset = true;
    report.cleared = {{"c1", "i1", AdminState::Stopped, "manager", 5}};
    report.pid = 9;
    CHECK(
        push_commit_answer(report, 0us) ==
        R"({"ok":true,"command":"push-commit","generation":7,"hash":"00000000000000ff",)"
        R"("changed":true,"unchanged":false,"overrides":[{"cluster":"c1","instance":"i2",)"
        R"("admin_state":"disabled","origin":"manager","since_ms":1700000000000,"kind":"instance"}],)"
        R"("reset":true,"cleared":[{"cluster":"c1","instance":"i1","admin_state":"stopped",)"
        R"("origin":"manager","since_ms":5,"kind":"instance"}],"pid":9,"ms":0.000})");

    std::string status = status_answer({}, {}, {}, 0us, report.overrides);
    CHECK_THAT(status, Catch::Contains(R"("overrides":[{"cluster":"c1","instance":"i2",)"
                                       R"("admin_state":"disabled","origin":"manager",)"));
}

TEST_CASE("replace_file swaps the file atomically and keeps the previous copy", "[manager][push]") {
    TempDir dir;
    const std::string path = dir.path + "/loadbalancer.xml";
    spill(path, "old\n");
    ::chmod(path.c_str(), 0640);

    CHECK(replace_file(path, "new\n") == "");
    CHECK(slurp(path) == "new\n");
    CHECK(slurp(path + ".bak") == "old\n");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);  // the operator's mode, not mkstemp's 0600
    CHECK(dir.entries() == 2);           // no temporary file left

    CHECK(replace_file(path, "newer\n") == "");
    CHECK(slurp(path) == "newer\n");
    CHECK(slurp(path + ".bak") == "new\n");
}

TEST_CASE("replace_file makes a missing file and says why it cannot write", "[manager][push]") {
    TempDir dir;
    const std::string path = dir.path + "/fresh.xml";
    CHECK(replace_file(path, "x") == "");
    CHECK(slurp(path) == "x");
    CHECK_FALSE(exists(path + ".bak"));  // nothing to keep

    const std::string missing = dir.path + "/no-such-dir/lb.xml";
    CHECK_THAT(replace_file(missing, "x"), Catch::Contains("no-such-dir"));
    CHECK_FALSE(exists(missing));

    // What is there cannot be read (a directory): nothing replaced, no temporary file left.
    const std::string taken = dir.path + "/taken.xml";
    REQUIRE(::mkdir(taken.c_str(), 0700) == 0);
    CHECK_THAT(replace_file(taken, "x"), Catch::Contains("cannot read " + taken));
    CHECK(dir.entries() == 2);  // fresh.xml and taken.xml

    if (::geteuid() != 0) {  // root writes through a read-only mode
        ::chmod(dir.path.c_str(), 0500);
        std::string why = replace_file(path, "y");
        ::chmod(dir.path.c_str(), 0700);
        CHECK_THAT(why, Catch::Contains("cannot create a temporary file"));
        CHECK(slurp(path) == "x");  // untouched
    }
}
