// The cluster description (lbxml-gen's input): its loader, its writer and the loadbalancer.xml
// generated from each lb-config. A description that loads is written and loaded back equal; a
// generated config passes the loader's own checks. Input: the description file's bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "config/loader.hpp"
#include "config/writer.hpp"
#include "description/model.hpp"
#include "fuzz_support.hpp"

using namespace zdu;

namespace {

void check_generated(const description::Description& d, const std::string& lb_config) {
    config::LoadBalancer lb;
    try {
        lb = description::generate(d, lb_config);
    } catch (const description::GenerateError& e) {
        ZDU_FUZZ_CHECK(*e.what() != '\0');
        return;
    }
    const std::string xml = config::write_xml(lb, "today");
    const config::LoadResult r = config::load_string(xml, "generated.xml");
    if (!r.ok()) {
        for (const auto& diag : r.diagnostics) std::fprintf(stderr, "%s\n", diag.text().c_str());
        std::fprintf(stderr, "generated:\n%s\n", xml.c_str());
    }
    ZDU_FUZZ_CHECK(r.ok());
    ZDU_FUZZ_CHECK(*r.config == lb);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 64 * 1024) return 0;
    const std::string_view xml = fuzz::as_text(data, size);
    description::Description d;
    try {
        d = description::load_description_string(xml, "fuzz.xml");
    } catch (const description::DescriptionError& e) {
        ZDU_FUZZ_CHECK(!e.diagnostics().empty());
        return 0;
    }
    const std::string written = description::write_description(d);
    description::Description again;
    try {
        again = description::load_description_string(written, "fuzz.xml");
    } catch (const description::DescriptionError& e) {
        std::fprintf(stderr, "%s\nwritten:\n%s\n", e.what(), written.c_str());
        ZDU_FUZZ_CHECK(!"a written description loads");
    }
    ZDU_FUZZ_CHECK(again == d);
    ZDU_FUZZ_CHECK(description::write_description(again) == written);
    for (const auto& lb_config : d.lb_configs) check_generated(d, lb_config.name);
    return 0;
}
