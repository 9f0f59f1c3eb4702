// Version order, version text, the per-version tables of ClusterRoutes and logout url-patterns.
#include <algorithm>
#include <catch2/catch.hpp>

#include "config/model.hpp"
#include "loopback_instance.hpp"
#include "routing/cluster_routes.hpp"
#include "routing/url_pattern_list.hpp"
#include "routing/version.hpp"

using namespace zdu;
using routing::compare_versions;

TEST_CASE("dotted versions compare numerically part by part", "[routing][version]") {
    CHECK(compare_versions("1.10", "1.9") > 0);
    CHECK(compare_versions("1.9", "1.10") < 0);
    CHECK(compare_versions("2", "10") < 0);
    CHECK(compare_versions("1.2.3", "1.2.3") == 0);
    CHECK(compare_versions("2.0.1", "2.0") > 0);
    CHECK(compare_versions("2.0", "2.0.1") < 0);
    CHECK(compare_versions("2.0", "2.0.0") < 0);  // different texts never tie
    CHECK(compare_versions("1.01", "1.1") != 0);
    CHECK(compare_versions("1.01", "1.2") < 0);                       // still numeric: 1 < 2
    CHECK(compare_versions("99999999999999999999999.1", "3.1") > 0);  // no overflow
}

TEST_CASE("versions that are not dotted digits compare as text", "[routing][version]") {
    CHECK(compare_versions("b", "a") > 0);
    CHECK(compare_versions("1.10-rc1", "1.9-rc1") < 0);  // text: '1' < '9'
    CHECK(compare_versions("2.0", "") > 0);
    CHECK(compare_versions("", "") == 0);
    CHECK(compare_versions("1..2", "1.10") < 0);  // an empty part is not dotted digits
}

TEST_CASE("version text", "[routing][version]") {
    CHECK(routing::valid_version("1.0"));
    CHECK(routing::valid_version("2024-06_rc.1"));
    CHECK(routing::valid_version(std::string(64, 'a')));
    CHECK_FALSE(routing::valid_version(std::string(65, 'a')));
    CHECK_FALSE(routing::valid_version(""));
    CHECK_FALSE(routing::valid_version("1 0"));
    CHECK_FALSE(routing::valid_version("1/0"));
    CHECK_FALSE(routing::valid_version("é"));
}

namespace {

config::Cluster versioned(std::vector<std::pair<std::string, std::string>> name_version) {
    config::Cluster c;
    c.name = "c1";
    c.policy = config::Policy::WeightedRoundRobin;
    for (auto& [name, version] : name_version) {
        c.instances.push_back(loopback_instance(name));
        c.instances.back().version = version;
    }
    return c;
}

}  // namespace

TEST_CASE("cluster routes list versions highest first with their members", "[routing][version]") {
    auto c = versioned({{"a", "1.9"}, {"b", "1.10"}, {"c", "1.9"}, {"d", "1.10"}, {"e", ""}});
    c.instances[3].weight = 300;
    c.instances[2].enabled = false;
    routing::ClusterRoutes routes(c);
    REQUIRE(routes.versions() == std::vector<std::string>{"1.10", "1.9", ""});
    CHECK(routes.find_version("1.10") == 0);
    CHECK(routes.find_version("") == 2);
    CHECK(routes.find_version("2.0") == -1);
    CHECK(routes.version_of(0) == 1);
    CHECK(routes.version_of(3) == 0);
    CHECK(routes.version_members(1) == std::vector<int>{0, 2});
    CHECK(routes.same_version(1) == std::vector<int>{1, 3});
    // Each version's schedule holds its own enabled instances by their own weights.
    const auto& s = routes.schedule(0);
    REQUIRE(s.size() == 4);
    CHECK(std::count(s.begin(), s.end(), 3) == 3);
    CHECK(std::count(s.begin(), s.end(), 1) == 1);
    CHECK(routes.schedule(1) == std::vector<int>{0});  // c is disabled
    CHECK(routes.schedule(2) == std::vector<int>{4});
}

TEST_CASE("a cluster without versions has the one version \"\"", "[routing][version]") {
    routing::ClusterRoutes routes(versioned({{"a", ""}, {"b", ""}}));
    CHECK(routes.versions() == std::vector<std::string>{""});
    CHECK(routes.schedule(0) == routes.schedule());
    CHECK_FALSE(routes.plan().canary_on());
    CHECK(routes.plan().active == -1);
}

TEST_CASE("the version plan comes from the cluster attributes", "[routing][version]") {
    auto c = versioned({{"a", "1"}, {"b", "2"}, {"c", "3"}});
    c.active_version = "1";
    c.canary_version = "3";
    c.canary_percent = 15;
    routing::ClusterRoutes routes(c);
    CHECK(routes.plan().active == routes.find_version("1"));
    CHECK(routes.plan().canary == routes.find_version("3"));
    CHECK(routes.plan().canary_percent == 15);
    CHECK(routes.plan().canary_on());
    c.canary_percent = 0;
    CHECK_FALSE(routing::ClusterRoutes(c).plan().canary_on());
}

TEST_CASE("logout url-patterns match like idempotent-url-pattern", "[routing][version]") {
    routing::UrlPatternList list("/logout  *.bye\t/account/signout/*");
    CHECK(list.patterns().size() == 3);
    CHECK(list.matches("/logout"));
    CHECK_FALSE(list.matches("/logout/now"));
    CHECK(list.matches("/x/see-you.bye"));
    CHECK(list.matches("/account/signout"));
    CHECK(list.matches("/account/signout/all"));
    CHECK_FALSE(list.matches("/account/signouts"));
    CHECK_FALSE(list.matches("/"));
    routing::UrlPatternList none("  ");
    CHECK(none.empty());
    CHECK_FALSE(none.matches("/logout"));
}
