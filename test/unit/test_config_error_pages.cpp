// Error pages are read once, with the config; what cannot be served is reported then.
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/error_pages.hpp"

namespace config = zdu::config;
namespace fs = std::filesystem;

namespace {

struct PageDir {
    fs::path dir;
    PageDir() {
        char tmpl[] = "/tmp/zdu-error-pages-XXXXXX";
        dir = mkdtemp(tmpl);
    }
    ~PageDir() { fs::remove_all(dir); }
    void write(const std::string& name, const std::string& text) const {
        std::ofstream(dir / name, std::ios::binary) << text;
    }
};

config::LoadBalancer naming(std::initializer_list<const char*> error_urls) {
    config::LoadBalancer lb;
    config::Cluster& c = lb.clusters.emplace_back();
    int n = 0;
    for (const char* url : error_urls) {
        config::WebModule wm;
        wm.context_root = "/app" + std::to_string(++n);
        wm.error_url = url;
        c.web_modules.push_back(wm);
    }
    return lb;
}

}  // namespace

TEST_CASE("error pages are read once and served from memory", "[config]") {
    PageDir d;
    d.write("sorry.html", "<html>back soon</html>");
    std::vector<std::string> problems;
    auto pages =
        config::ErrorPages::load(naming({"sorry.html", "sorry.html", ""}), d.dir, problems);
    CHECK(problems.empty());
    CHECK(pages.size() == 1);
    fs::remove(d.dir / "sorry.html");  // later changes on disk do not count
    REQUIRE(pages.find("sorry.html"));
    CHECK(*pages.find("sorry.html") == "<html>back soon</html>");
    CHECK_FALSE(pages.find("other.html"));
}

TEST_CASE("pages that cannot be served are reported at load", "[config]") {
    PageDir d;
    d.write("big.html", std::string(11, 'x'));
    d.write(".hidden", "x");
    fs::create_directory(d.dir / "dir.html");
    std::vector<std::string> problems;
    auto pages =
        config::ErrorPages::load(naming({"missing.html", "big.html", "../etc/passwd", ".hidden",
                                         "dir.html", "http://errors.example/down.html"}),
                                 d.dir, problems, 10);
    CHECK(pages.size() == 0);
    REQUIRE(problems.size() == 5);  // the URL is a redirect, not a page
    CHECK_THAT(problems[0], Catch::Contains("web-module '/app1': error-url 'missing.html'") &&
                                Catch::Contains("No such file"));
    CHECK_THAT(problems[1], Catch::Contains("larger than 10 bytes"));
    CHECK_THAT(problems[2], Catch::Contains("is not a file name"));
    CHECK_THAT(problems[3], Catch::Contains("is not a file name"));
    CHECK_THAT(problems[4], Catch::Contains("dir.html") && Catch::Contains("not a regular file"));
}

TEST_CASE("a page named without ZduErrorPageDir is reported", "[config]") {
    std::vector<std::string> problems;
    auto pages = config::ErrorPages::load(naming({"sorry.html"}), "", problems);
    CHECK(pages.size() == 0);
    REQUIRE(problems.size() == 1);
    CHECK_THAT(problems[0], Catch::Contains("no ZduErrorPageDir"));
}
