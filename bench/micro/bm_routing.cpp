// Route decisions at 2..1,000 instances: the request's cookie is parsed once per iteration in
// the "parse+decide" cases, as mod_zdu does per request; "decide" alone isolates the router.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "fixtures.hpp"
#include "routing/cluster_routes.hpp"
#include "routing/router.hpp"
#include "routing/session_route.hpp"

namespace {

using zdu::routing::ClusterRoutes;
using zdu::routing::RouteSources;

// Every instance usable: the hot path of a healthy cluster.
auto serves = [](int) { return true; };
auto takes = [](int) { return true; };

const char* const kPath = "/app/cart/items";

struct Routing {
    explicit Routing(int instances)
        : cluster(zdu::bench::make_cluster(instances)), routes(cluster) {}
    zdu::config::Cluster cluster;
    ClusterRoutes routes;
    std::atomic<std::uint64_t> counter{0};
};

std::string middle_route(const ClusterRoutes& routes) {
    return routes.route(static_cast<int>(routes.size() / 2));
}

void BM_DecideSticky(benchmark::State& state) {
    Routing r(static_cast<int>(state.range(0)));
    std::string cookies = zdu::bench::sticky_cookie_header(middle_route(r.routes));
    RouteSources sources = zdu::routing::find_route_sources(cookies, kPath, "JSESSIONID");
    for (auto _ : state) {
        auto d = zdu::routing::decide(r.routes, sources, r.counter, serves, takes);
        benchmark::DoNotOptimize(d);
    }
}

void BM_DecideNew(benchmark::State& state) {
    Routing r(static_cast<int>(state.range(0)));
    std::string cookies = zdu::bench::new_visitor_cookie_header();
    RouteSources sources = zdu::routing::find_route_sources(cookies, kPath, "JSESSIONID");
    for (auto _ : state) {
        auto d = zdu::routing::decide(r.routes, sources, r.counter, serves, takes);
        benchmark::DoNotOptimize(d);
    }
}

void BM_ParseDecideSticky(benchmark::State& state) {
    Routing r(static_cast<int>(state.range(0)));
    std::string cookies = zdu::bench::sticky_cookie_header(middle_route(r.routes));
    for (auto _ : state) {
        RouteSources s = zdu::routing::find_route_sources(cookies, kPath, "JSESSIONID");
        auto d = zdu::routing::decide(r.routes, s, r.counter, serves, takes);
        benchmark::DoNotOptimize(d);
    }
}

void BM_ParseDecideNew(benchmark::State& state) {
    Routing r(static_cast<int>(state.range(0)));
    std::string cookies = zdu::bench::new_visitor_cookie_header();
    for (auto _ : state) {
        RouteSources s = zdu::routing::find_route_sources(cookies, kPath, "JSESSIONID");
        auto d = zdu::routing::decide(r.routes, s, r.counter, serves, takes);
        benchmark::DoNotOptimize(d);
    }
}

void BM_RouteFind(benchmark::State& state) {
    Routing r(static_cast<int>(state.range(0)));
    std::string route = middle_route(r.routes);
    for (auto _ : state) benchmark::DoNotOptimize(r.routes.find(route));
}

void BM_ClusterRoutesBuild(benchmark::State& state) {
    auto cluster = zdu::bench::make_cluster(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        ClusterRoutes routes(cluster);
        benchmark::DoNotOptimize(routes.size());
    }
}

}  // namespace

BENCHMARK(BM_DecideSticky)->Arg(2)->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_DecideNew)->Arg(2)->Arg(10)->Arg(100)->Arg(1000);
BENCHMARK(BM_ParseDecideSticky)->Arg(2)->Arg(1000);
BENCHMARK(BM_ParseDecideNew)->Arg(2)->Arg(1000);
BENCHMARK(BM_RouteFind)->Arg(1000);
BENCHMARK(BM_ClusterRoutesBuild)->Arg(1000)->Unit(benchmark::kMicrosecond);
