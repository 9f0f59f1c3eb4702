// loadbalancer.xml as the loader reads it: libxml2 with the bundled DTDs, the model builder and
// the semantic checks. Whatever the bytes, the result is a config or located diagnostics, and
// a config written back and loaded again is the same config. Input: the file's bytes.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "config/config_diff.hpp"
#include "config/loader.hpp"
#include "config/writer.hpp"
#include "fuzz_support.hpp"

using namespace zdu;

namespace {

void check_diagnostics(const config::LoadResult& r, std::string_view xml) {
    const auto lines = static_cast<int>(std::count(xml.begin(), xml.end(), '\n')) + 1;
    for (const auto& d : r.diagnostics) {
        ZDU_FUZZ_CHECK(d.file == "fuzz.xml" && !d.message.empty());
        ZDU_FUZZ_CHECK(d.line >= 0 && d.line <= lines);
    }
    ZDU_FUZZ_CHECK(r.ok() != config::has_errors(r.diagnostics));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Real files are a few kB; far larger inputs only slow the search down.
    if (size > 64 * 1024) return 0;
    const std::string_view xml = fuzz::as_text(data, size);
    const config::LoadResult r = config::load_string(xml, "fuzz.xml");
    check_diagnostics(r, xml);
    if (!r.ok()) return 0;

    const std::string written = config::write_xml(*r.config, "today");
    const config::LoadResult again = config::load_string(written, "fuzz.xml");
    if (!again.ok()) {
        for (const auto& d : again.diagnostics) std::fprintf(stderr, "%s\n", d.text().c_str());
        std::fprintf(stderr, "written:\n%s\n", written.c_str());
    }
    ZDU_FUZZ_CHECK(again.ok());
    ZDU_FUZZ_CHECK(*again.config == *r.config);
    ZDU_FUZZ_CHECK(config::diff(*r.config, *again.config).empty());
    ZDU_FUZZ_CHECK(config::write_xml(*again.config, "today") == written);
    return 0;
}
