// Parsing the route sources a request carries: the JROUTE cookie among others, a
// ;jsessionid=…:route path parameter, and a Tomcat session id suffix.
#include <benchmark/benchmark.h>

#include <string>

#include "fixtures.hpp"
#include "routing/session_route.hpp"

namespace {

void BM_RouteSourcesJrouteCookie(benchmark::State& state) {
    std::string cookies = zdu::bench::sticky_cookie_header("abcdefgh");
    for (auto _ : state) {
        auto s = zdu::routing::find_route_sources(cookies, "/app/cart/items", "JSESSIONID");
        benchmark::DoNotOptimize(s);
    }
}

void BM_RouteSourcesPathJsessionid(benchmark::State& state) {
    const std::string path = "/app/cart/items;jsessionid=4f1c2a9be07d44c5b2a1f0e3d9c8b7a6:abcdefgh";
    for (auto _ : state) {
        auto s = zdu::routing::find_route_sources("", path, "JSESSIONID");
        benchmark::DoNotOptimize(s);
    }
}

void BM_RouteSourcesTomcatSuffix(benchmark::State& state) {
    const std::string cookies = "lang=en; JSESSIONID=4f1c2a9be07d44c5b2a1f0e3d9c8b7a6.abcdefgh";
    for (auto _ : state) {
        auto s = zdu::routing::find_route_sources(cookies, "/app/cart/items", "JSESSIONID");
        benchmark::DoNotOptimize(s);
    }
}

void BM_RouteSourcesNoSession(benchmark::State& state) {
    std::string cookies = zdu::bench::new_visitor_cookie_header();
    for (auto _ : state) {
        auto s = zdu::routing::find_route_sources(cookies, "/app/cart/items", "JSESSIONID");
        benchmark::DoNotOptimize(s);
    }
}

}  // namespace

BENCHMARK(BM_RouteSourcesJrouteCookie);
BENCHMARK(BM_RouteSourcesPathJsessionid);
BENCHMARK(BM_RouteSourcesTomcatSuffix);
BENCHMARK(BM_RouteSourcesNoSession);
