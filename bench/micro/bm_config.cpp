// Loading a generated loadbalancer.xml (DTD validation and semantic checks included): what a
// start or reload of mod_zdu, and every lbxml-gen run, pays for the config.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "config/loader.hpp"
#include "fixtures.hpp"

namespace {

void BM_LoadString(benchmark::State& state) {
    std::string xml = zdu::bench::make_xml(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto result = zdu::config::load_string(xml, "bench.xml");
        if (!result.ok()) {
            state.SkipWithError("generated xml did not load");
            break;
        }
        benchmark::DoNotOptimize(result.config);
    }
}

void BM_LoadFile(benchmark::State& state) {
    std::string path = "/tmp/zdu-bench-" + std::to_string(getpid()) + ".xml";
    std::ofstream(path) << zdu::bench::make_xml(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto result = zdu::config::load_file(path);
        if (!result.ok()) {
            state.SkipWithError("generated xml did not load");
            break;
        }
        benchmark::DoNotOptimize(result.config);
    }
    std::remove(path.c_str());
}

}  // namespace

BENCHMARK(BM_LoadString)->Arg(2)->Arg(1000)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LoadFile)->Arg(1000)->Unit(benchmark::kMillisecond);
