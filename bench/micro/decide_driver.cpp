// Runs N route decisions at a given cluster size, for callgrind: the instructions of one
// decision are (Ir at N) - (Ir at 0), divided by N, so setup cost drops out exactly.
//
//   zdu_decide_driver sticky|new|parse-sticky|parse-new <instances> <decisions>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "fixtures.hpp"
#include "routing/cluster_routes.hpp"
#include "routing/router.hpp"
#include "routing/session_route.hpp"

namespace {

using zdu::routing::ClusterRoutes;
using zdu::routing::RouteSources;

volatile int sink;  // keeps every decision observable, so none is optimised away

auto serves = [](int) { return true; };
auto takes = [](int) { return true; };
const char* const kPath = "/app/cart/items";

RouteSources parse(const std::string& cookies) {
    return zdu::routing::find_route_sources(cookies, kPath, "JSESSIONID");
}

// noinline: a callgrind --toggle-collect=run_decisions* run sees the loop and nothing else.
__attribute__((noinline)) void run_decisions(const ClusterRoutes& routes,
                                             const std::string& cookies, bool reparse, long n) {
    std::atomic<std::uint64_t> counter{0};
    RouteSources sources = parse(cookies);
    for (long k = 0; k < n; ++k) {
        if (reparse) sources = parse(cookies);
        sink = zdu::routing::decide(routes, sources, counter, serves, takes).instance;
    }
}

int usage() {
    std::fprintf(stderr,
                 "usage: zdu_decide_driver sticky|new|parse-sticky|parse-new "
                 "<instances> <decisions>\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) return usage();
    std::string mode = argv[1];
    int instances = std::atoi(argv[2]);
    long n = std::atol(argv[3]);
    bool reparse = mode.rfind("parse-", 0) == 0;
    std::string kind = reparse ? mode.substr(6) : mode;
    if ((kind != "sticky" && kind != "new") || instances < 1 || n < 0) return usage();

    auto cluster = zdu::bench::make_cluster(instances);
    ClusterRoutes routes(cluster);
    std::string cookies = kind == "sticky"
                              ? zdu::bench::sticky_cookie_header(routes.route(instances / 2))
                              : zdu::bench::new_visitor_cookie_header();
    run_decisions(routes, cookies, reparse, n);
    return 0;
}
