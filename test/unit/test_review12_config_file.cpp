#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "manager/config_file.hpp"

using zdu::manager::replace_file;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

struct Dir {
    std::string path;
    Dir() {
        char pattern[] = "/tmp/zdu-review12-XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~Dir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

}  // namespace

// Operators often point ZduConfigFile at a file kept elsewhere (a release directory, a git
// checkout) through a symlink; a push must update that file, not swap the link for a copy
// that the next deployment of the link target silently undoes.
TEST_CASE("replace_file through a symlinked ZduConfigFile edits the target", "[manager][push]") {
    Dir dir;
    REQUIRE(::mkdir((dir.path + "/real").c_str(), 0700) == 0);
    const std::string target = dir.path + "/real/loadbalancer.xml";
    const std::string link = dir.path + "/loadbalancer.xml";
    std::ofstream(target, std::ios::binary) << "old\n";
    REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);

    CHECK(replace_file(link, "new\n") == "");

    struct stat st {};
    REQUIRE(::lstat(link.c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));  // still the operator's link
    CHECK(slurp(target) == "new\n");
    CHECK(slurp(target + ".bak") == "old\n");  // the previous copy beside the file it was
}
