// The parent writes the state file as root, beside the config: a link planted at the name of
// its temp file (in a directory another user can write to) must not make it write elsewhere.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "state/state_file.hpp"
#include "state/state_file_io.hpp"

using namespace zdu::state;

namespace {

std::string review_temp_dir() {
    char pattern[] = "/tmp/zdu-review-state-XXXXXX";
    REQUIRE(mkdtemp(pattern) != nullptr);
    return pattern;
}

std::string contents(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

StateFile one_instance() {
    StateFile f;
    f.written_ms = 1764576000123;
    InstanceState a;
    a.cluster = "c1";
    a.instance = "i1";
    a.admin = AdminState::Disabled;
    f.instances = {a};
    return f;
}

}  // namespace

TEST_CASE("the state file writer does not follow a link planted at its temp file", "[state]") {
    const std::string dir = review_temp_dir();
    const std::string path = dir + "/lb.xml.state";
    const std::string victim = dir + "/victim";
    std::ofstream(victim) << "keep me\n";
    const std::string temp = path + ".tmp." + std::to_string(getpid());
    REQUIRE(symlink(victim.c_str(), temp.c_str()) == 0);

    CHECK(write_state_file(path, one_instance()).empty());
    CHECK(contents(victim) == "keep me\n");
    StateFileRead read = read_state_file(path);
    REQUIRE(read.usable());
    CHECK(read.parse.file.instances == one_instance().instances);
    struct stat st {};
    CHECK(lstat(path.c_str(), &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK(lstat(temp.c_str(), &st) != 0);

    std::remove(path.c_str());
    std::remove(temp.c_str());
    std::remove(victim.c_str());
    rmdir(dir.c_str());
}

TEST_CASE("a stale temp file left by a crashed writer does not stop the next write", "[state]") {
    const std::string dir = review_temp_dir();
    const std::string path = dir + "/lb.xml.state";
    const std::string temp = path + ".tmp." + std::to_string(getpid());
    std::ofstream(temp) << "zdu-state 1\ninstance half-writ";
    CHECK(write_state_file(path, one_instance()).empty());
    CHECK(read_state_file(path).usable());
    std::remove(path.c_str());
    rmdir(dir.c_str());
}
