#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "io/atomic_file.hpp"

using zdu::io::AtomicWriteOptions;
using zdu::io::Backup;
using zdu::io::write_file_atomically;
using zdu::io::WriteStep;

namespace {

struct Dir {
    std::string path;
    Dir() {
        char pattern[] = "/tmp/zdu-atomic-XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~Dir() {
        ::chmod(path.c_str(), 0700);
        std::system(("rm -rf '" + path + "'").c_str());
    }
    std::vector<std::string> entries(const std::string& sub = "") const {
        std::vector<std::string> names;
        DIR* d = ::opendir((path + sub).c_str());
        if (!d) return names;
        while (dirent* e = ::readdir(d)) {
            std::string n = e->d_name;
            if (n != "." && n != "..") names.push_back(n);
        }
        ::closedir(d);
        std::sort(names.begin(), names.end());
        return names;
    }
};

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void spill(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

mode_t mode_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("an atomic write replaces the content and keeps the mode", "[io]") {
    Dir dir;
    const std::string path = dir.path + "/f.xml";
    spill(path, "old bytes\n");
    REQUIRE(::chmod(path.c_str(), 0640) == 0);

    auto r = write_file_atomically(path, "new\n");
    CHECK(r.ok());
    CHECK(r.message.empty());
    CHECK(r.directory_sync_error.empty());
    CHECK(slurp(path) == "new\n");
    CHECK(mode_of(path) == 0640);
    CHECK(dir.entries() == std::vector<std::string>{"f.xml"});  // no temp file, no .bak
}

TEST_CASE("an atomic write makes a missing file with the mode asked for", "[io]") {
    Dir dir;
    const std::string path = dir.path + "/fresh";
    AtomicWriteOptions o;
    o.new_file_mode = 0600;
    o.backup = Backup::Copy;
    REQUIRE(write_file_atomically(path, "x", o).ok());
    CHECK(slurp(path) == "x");
    CHECK(mode_of(path) == 0600);
    CHECK(dir.entries() == std::vector<std::string>{"fresh"});  // nothing to keep as .bak
}

TEST_CASE("the previous bytes are kept as .bak, by hard link or by copy", "[io]") {
    for (Backup kind : {Backup::HardLink, Backup::Copy}) {
        Dir dir;
        const std::string path = dir.path + "/lb.xml";
        spill(path, "first\n");
        REQUIRE(::chmod(path.c_str(), 0604) == 0);
        AtomicWriteOptions o;
        o.backup = kind;
        REQUIRE(write_file_atomically(path, "second\n", o).ok());
        CHECK(slurp(path) == "second\n");
        CHECK(slurp(path + ".bak") == "first\n");
        CHECK(mode_of(path + ".bak") == 0604);
        REQUIRE(write_file_atomically(path, "third\n", o).ok());
        CHECK(slurp(path) == "third\n");
        CHECK(slurp(path + ".bak") == "second\n");
        CHECK(dir.entries() == std::vector<std::string>{"lb.xml", "lb.xml.bak"});
    }
}

TEST_CASE("a symlinked path has its target replaced and stays a link", "[io]") {
    Dir dir;
    REQUIRE(::mkdir((dir.path + "/real").c_str(), 0700) == 0);
    const std::string target = dir.path + "/real/lb.xml";
    const std::string link = dir.path + "/lb.xml";
    spill(target, "old\n");
    REQUIRE(::symlink(target.c_str(), link.c_str()) == 0);
    AtomicWriteOptions o;
    o.backup = Backup::HardLink;

    auto r = write_file_atomically(link, "new\n", o);
    REQUIRE(r.ok());
    CHECK(r.target == target);
    struct stat st {};
    REQUIRE(::lstat(link.c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
    CHECK(slurp(target) == "new\n");
    CHECK(slurp(target + ".bak") == "old\n");
    CHECK(dir.entries("/real") == std::vector<std::string>{"lb.xml", "lb.xml.bak"});

    // Not resolving (a root writer in another user's directory): the link itself is replaced.
    o.resolve_symlink = false;
    REQUIRE(write_file_atomically(link, "own\n", o).ok());
    REQUIRE(::lstat(link.c_str(), &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK(slurp(link) == "own\n");
    CHECK(slurp(target) == "new\n");
}

TEST_CASE("an unwritable directory is an error naming the path; the file is untouched", "[io]") {
    if (::geteuid() == 0) return;  // root writes through a read-only mode
    Dir dir;
    const std::string path = dir.path + "/lb.xml";
    spill(path, "old\n");
    REQUIRE(::chmod(dir.path.c_str(), 0500) == 0);
    auto r = write_file_atomically(path, "new\n");
    REQUIRE(::chmod(dir.path.c_str(), 0700) == 0);
    CHECK_FALSE(r.ok());
    CHECK(r.step == WriteStep::Create);
    CHECK_THAT(r.message, Catch::StartsWith("cannot create " + path + ".tmp."));
    CHECK_THAT(r.message, Catch::EndsWith(": Permission denied"));
    CHECK(slurp(path) == "old\n");
    CHECK(dir.entries() == std::vector<std::string>{"lb.xml"});
}

TEST_CASE("a backup that cannot be made leaves the file untouched and no temp file", "[io]") {
    Dir dir;
    const std::string path = dir.path + "/lb.xml";
    spill(path, "old\n");
    // A non-empty directory at the .bak name can be neither unlinked nor renamed over.
    REQUIRE(::mkdir((path + ".bak").c_str(), 0700) == 0);
    spill(path + ".bak/keep", "k");
    for (Backup kind : {Backup::HardLink, Backup::Copy}) {
        AtomicWriteOptions o;
        o.backup = kind;
        auto r = write_file_atomically(path, "new\n", o);
        CHECK(r.step == WriteStep::Backup);
        CHECK_THAT(r.message, Catch::Contains(path + ".bak"));
        CHECK(slurp(path) == "old\n");
        CHECK(dir.entries() == std::vector<std::string>{"lb.xml", "lb.xml.bak"});
        CHECK(dir.entries("/lb.xml.bak") == std::vector<std::string>{"keep"});
    }
}

TEST_CASE("a directory at the path is an error", "[io]") {
    Dir dir;
    const std::string path = dir.path + "/taken";
    REQUIRE(::mkdir(path.c_str(), 0700) == 0);
    auto r = write_file_atomically(path, "x");
    CHECK(r.step == WriteStep::NotRegular);
    CHECK(r.path == path);
    CHECK(r.message == "cannot replace " + path + ": Is a directory");
    CHECK(dir.entries() == std::vector<std::string>{"taken"});
    CHECK(dir.entries("/taken").empty());
}

TEST_CASE("a missing directory is an error naming the path", "[io]") {
    Dir dir;
    const std::string path = dir.path + "/no-such-dir/f";
    auto r = write_file_atomically(path, "x");
    CHECK(r.step == WriteStep::Create);
    CHECK_THAT(r.message, Catch::Contains(path) && Catch::EndsWith("No such file or directory"));
}

// Writers that run at once (two pushes, two edits) each rename a complete file over the name:
// a reader at any moment, and the end result, see one whole version, never a mix.
TEST_CASE("concurrent writers end with one complete version and readers never see a torn file",
          "[io]") {
    Dir dir;
    const std::string path = dir.path + "/lb.xml";
    constexpr int kWriters = 6;
    constexpr std::size_t kSize = 256 * 1024;
    auto version = [&](int w) { return std::string(kSize, static_cast<char>('a' + w)); };
    spill(path, version(0));

    std::atomic<bool> done{false};
    std::atomic<int> torn{0}, failed{0}, reads{0};
    std::thread reader([&] {
        while (!done.load()) {
            std::string seen = slurp(path);
            ++reads;
            if (seen.size() != kSize || seen.find_first_not_of(seen[0]) != std::string::npos)
                ++torn;
        }
    });
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&, w] {
            AtomicWriteOptions o;
            o.backup = w % 2 ? Backup::Copy : Backup::HardLink;
            for (int i = 0; i < 20; ++i)
                if (auto r = write_file_atomically(path, version(w), o); !r.ok()) {
                    ++failed;
                    UNSCOPED_INFO(r.message);
                }
        });
    }
    for (auto& t : writers) t.join();
    done = true;
    reader.join();

    CHECK(failed == 0);
    CHECK(torn == 0);
    CHECK(reads > 0);
    const std::string end = slurp(path);
    REQUIRE(end.size() == kSize);
    CHECK(end.find_first_not_of(end[0]) == std::string::npos);
    CHECK(dir.entries() == std::vector<std::string>{"lb.xml", "lb.xml.bak"});
}
