// The request-path checks translate_name runs on every request: the context-root match over 50
// web-modules and the dot-segment check, for paths of 16 bytes to 8 KiB ("/a/a/…", a boundary
// every other character: the worst case for a matcher that hashes every boundary prefix).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "routing/context_roots.hpp"
#include "routing/dot_segments.hpp"

namespace {

std::string deep_path(std::size_t length) {
    std::string path;
    while (path.size() < length) path += "/a";
    return path;
}

zdu::routing::ContextRoots fifty_roots(std::vector<std::string>& names) {
    for (int i = 0; i < 49; ++i) names.push_back("/module-" + std::to_string(i));
    names.push_back("/a");
    return zdu::routing::ContextRoots(std::vector<std::string_view>(names.begin(), names.end()));
}

void BM_MatchContextRoot(benchmark::State& state) {
    std::vector<std::string> names;
    zdu::routing::ContextRoots roots = fifty_roots(names);
    const std::string path = deep_path(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(roots.match(path));
}

void BM_HasDotSegment(benchmark::State& state) {
    const std::string path = deep_path(static_cast<std::size_t>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(zdu::routing::has_dot_segment(path));
}

}  // namespace

BENCHMARK(BM_MatchContextRoot)->Arg(16)->Arg(256)->Arg(8192);
BENCHMARK(BM_HasDotSegment)->Arg(16)->Arg(256)->Arg(8192);
