// The user-defined policy's glue without httpd: mod_zdu.so is a MODULE library nothing links
// to, and these three files use no httpd header, so the test compiles them in. Tables defined
// here stand in for a loaded module; the real dlopen path is exercised on system libraries and
// by the integration tests with test/policy-sample.
#include <catch2/catch.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/model.hpp"
#include "loopback_instance.hpp"
#include "mod_zdu/policy/library.cpp"
#include "mod_zdu/policy/module.cpp"
#include "mod_zdu/policy/user_defined.cpp"
#include "routing/cluster_routes.hpp"

using namespace zdu;

namespace {

// What the test table saw and will answer; its init() hands this to choose() as the state.
struct Probe {
    int answer = 0;  // returned by choose(); kLast: the last candidate
    int calls = 0;
    int destroyed = 0;
    std::string cluster;
    std::vector<std::string> instances;
    std::vector<zdu_policy_candidate> seen;
    std::string uri, method, client_ip, session_id;
};
constexpr int kLast = 1000;
Probe* g_probe = nullptr;

std::string str(zdu_policy_string s) {
    return std::string(s.data, s.len);
}

int probe_init(const zdu_policy_cluster* cluster, void** state, char*, size_t) {
    g_probe->cluster = str(cluster->name);
    for (size_t i = 0; i < cluster->instance_count; ++i) {
        g_probe->instances.push_back(str(cluster->instances[i].name) + "/" +
                                     str(cluster->instances[i].route) + "/" +
                                     std::to_string(cluster->instances[i].weight));
    }
    *state = g_probe;
    return 0;
}

int probe_choose(const zdu_policy_request* r, const zdu_policy_candidate* c, size_t n,
                 void* state) {
    auto* p = static_cast<Probe*>(state);
    ++p->calls;
    p->seen.assign(c, c + n);
    p->uri = str(r->uri);
    p->method = str(r->method);
    p->client_ip = str(r->client_ip);
    p->session_id = str(r->session_id);
    return p->answer == kLast ? static_cast<int>(n) - 1 : p->answer;
}

void probe_destroy(void* state) {
    ++static_cast<Probe*>(state)->destroyed;
}

int refuse_init(const zdu_policy_cluster*, void**, char* error, size_t size) {
    std::snprintf(error, size, "no licence");
    return 7;
}

const zdu_policy_v1 kProbeTable = {ZDU_POLICY_VERSION_1, "probe", probe_init, probe_choose,
                                   probe_destroy};

config::Cluster cluster_of(int instances) {
    config::Cluster c;
    c.name = "c1";
    c.policy = config::Policy::UserDefined;
    c.policy_module = "/nowhere/probe.so";
    for (int i = 0; i < instances; ++i) {
        c.instances.push_back(loopback_instance("i" + std::to_string(i), 100 + i));
    }
    return c;
}

// A policy over the probe table for `cluster`.
struct Fixture {
    explicit Fixture(int instances) : cluster(cluster_of(instances)), routes(cluster) {
        g_probe = &probe;
        std::string error;
        auto module =
            glue::PolicyModule::start(&kProbeTable, glue::SharedLibrary(), cluster, routes, error);
        REQUIRE(module);
        REQUIRE(error.empty());
        policy = std::make_unique<glue::UserDefinedPolicy>(cluster, std::move(module));
    }

    template <class Takes>
    int pick(Takes takes,
             routing::PolicyRequest request = {"POST", "/app/login", "10.0.0.9", "abc"}) {
        auto load = [](int i) {
            return routing::InstanceLoad{static_cast<std::uint64_t>(i) * 10,
                                         static_cast<std::uint64_t>(i) * 1000, 100 + i};
        };
        return policy->pick(routes, request, takes, load);
    }

    Probe probe;
    config::Cluster cluster;
    routing::ClusterRoutes routes;
    std::unique_ptr<glue::UserDefinedPolicy> policy;
};

auto always = [](int) { return true; };

}  // namespace

TEST_CASE("user-defined: init sees the cluster, destroy runs once", "[policy][user]") {
    Probe* probe = nullptr;
    {
        Fixture f(2);
        probe = &f.probe;
        CHECK(f.probe.cluster == "c1");
        REQUIRE(f.probe.instances.size() == 2);
        CHECK(f.probe.instances[0] == "i0/" + f.routes.route(0) + "/100");
        CHECK(f.probe.instances[1] == "i1/" + f.routes.route(1) + "/101");
        CHECK(std::string(f.policy->module().name()) == "probe");
        CHECK(f.probe.destroyed == 0);
        f.policy.reset();
        CHECK(probe->destroyed == 1);
    }
}

TEST_CASE("user-defined: candidates are the instances takes() accepts, with their load",
          "[policy][user]") {
    Fixture f(4);
    f.probe.answer = 1;
    int chosen = f.pick([](int i) { return i != 1; });
    CHECK(chosen == 2);  // the second candidate is instance 2
    REQUIRE(f.probe.seen.size() == 3);
    const zdu_policy_candidate& c = f.probe.seen[1];
    CHECK(str(c.name) == "i2");
    CHECK(str(c.route) == f.routes.route(2));
    CHECK(c.index == 2);
    CHECK(c.weight == 102);
    CHECK(c.busy == 20);
    CHECK(c.response_time_us == 2000);
    CHECK(f.probe.method == "POST");
    CHECK(f.probe.uri == "/app/login");
    CHECK(f.probe.client_ip == "10.0.0.9");
    CHECK(f.probe.session_id == "abc");
}

TEST_CASE("user-defined: no candidate, no call", "[policy][user]") {
    Fixture f(3);
    CHECK(f.pick([](int) { return false; }) == -1);
    CHECK(f.probe.calls == 0);
}

TEST_CASE("user-defined: an answer that is no candidate falls back to round-robin",
          "[policy][user]") {
    Fixture f(3);
    for (int answer : {-1, 3, 1000000}) {
        f.probe.answer = answer;
        std::map<int, int> hits;
        for (int k = 0; k < 30; ++k) ++hits[f.pick(always)];
        CHECK(hits[0] == 10);
        CHECK(hits[1] == 10);
        CHECK(hits[2] == 10);
    }
    f.probe.answer = -1;
    for (int k = 0; k < 10; ++k) CHECK(f.pick([](int i) { return i == 2; }) == 2);
}

TEST_CASE("user-defined: clusters larger than the stack buffer", "[policy][user]") {
    Fixture f(200);
    f.probe.answer = kLast;
    CHECK(f.pick(always) == 199);
    CHECK(f.probe.seen.size() == 200);
    CHECK(f.pick([](int i) { return i % 2 == 0; }) == 198);
    CHECK(f.probe.seen.size() == 100);
    CHECK(str(f.probe.seen[50].name) == "i100");
}

TEST_CASE("user-defined: tables mod_zdu must refuse", "[policy][user]") {
    auto cluster = cluster_of(1);
    routing::ClusterRoutes routes(cluster);
    std::string error;

    CHECK_FALSE(glue::PolicyModule::start(nullptr, glue::SharedLibrary(), cluster, routes, error));
    CHECK_THAT(error, Catch::Contains("zdu_policy_entry() returned NULL"));

    zdu_policy_v1 future = kProbeTable;
    future.version = 2;
    CHECK_FALSE(glue::PolicyModule::start(&future, glue::SharedLibrary(), cluster, routes, error));
    CHECK_THAT(error, Catch::Contains("interface version 2") && Catch::Contains("version 1"));

    zdu_policy_v1 no_choose = kProbeTable;
    no_choose.choose = nullptr;
    CHECK_FALSE(
        glue::PolicyModule::start(&no_choose, glue::SharedLibrary(), cluster, routes, error));
    CHECK_THAT(error, Catch::Contains("no choose function"));

    zdu_policy_v1 refusing = kProbeTable;
    refusing.init = refuse_init;
    CHECK_FALSE(
        glue::PolicyModule::start(&refusing, glue::SharedLibrary(), cluster, routes, error));
    CHECK_THAT(error, Catch::Contains("init failed: no licence"));
}

TEST_CASE("user-defined: a table without init or destroy has a null state", "[policy][user]") {
    auto cluster = cluster_of(2);
    routing::ClusterRoutes routes(cluster);
    zdu_policy_v1 bare{ZDU_POLICY_VERSION_1, nullptr, nullptr,
                       [](const zdu_policy_request*, const zdu_policy_candidate*, size_t,
                          void* state) { return state == nullptr ? 1 : -1; },
                       nullptr};
    std::string error;
    auto module = glue::PolicyModule::start(&bare, glue::SharedLibrary(), cluster, routes, error);
    REQUIRE(module);
    CHECK(std::string(module->name()) == "unnamed");
    glue::UserDefinedPolicy policy(cluster, std::move(module));
    auto load = [](int) { return routing::InstanceLoad{}; };
    CHECK(policy.pick(routes, {"GET", "/", "", ""}, always, load) == 1);
}

TEST_CASE("user-defined: libraries that do not load or lack the entry point", "[policy][user]") {
    auto cluster = cluster_of(1);
    routing::ClusterRoutes routes(cluster);
    std::string error;
    CHECK_FALSE(glue::PolicyModule::load("/nonexistent/policy.so", cluster, routes, error));
    CHECK_THAT(error, Catch::Contains("/nonexistent/policy.so"));

    error.clear();
    CHECK_FALSE(glue::PolicyModule::load("libm.so.6", cluster, routes, error));
    CHECK_THAT(error, Catch::Contains("zdu_policy_entry"));
}
