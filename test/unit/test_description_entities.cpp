// The refusals of entities and of other files name the kind of document being read: a cluster
// description is not told it is loadbalancer.xml.
#include <libxml/parserInternals.h>

#include <catch2/catch.hpp>
#include <string>

#include "config/entity_loader_guard.hpp"
#include "config/loader.hpp"
#include "config/parse_session.hpp"
#include "config/xml_handles.hpp"
#include "description_test_support.hpp"
#include "diagnostics_text.hpp"

namespace config = zdu::config;

namespace {

std::string with_entity(const std::string& root, const std::string& dtd) {
    return "<?xml version=\"1.0\"?>\n<!DOCTYPE " + root + " PUBLIC \"x\" \"" + dtd +
           "\" [\n  <!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n<" + root + "/>\n";
}

// What the guard reports when libxml2 asks the process-wide loader for `url` during a load.
std::string refusal_of(const std::string& url, std::string_view kind) {
    config::ParseSession session("d.xml");
    const config::EntityLoaderGuard guard(session, kind);
    const config::XmlParserCtxtPtr ctxt(xmlNewParserCtxt());
    REQUIRE(ctxt);
    CHECK(xmlLoadExternalEntity(url.c_str(), nullptr, ctxt.get()) == nullptr);
    std::string out;
    for (const auto& d : session.take_diagnostics()) out += d.text() + "\n";
    return out;
}

}  // namespace

TEST_CASE("an entity in a description is refused as a description's", "[description][entities]") {
    const std::string e =
        load_errors(with_entity("cluster-description", "zdu-cluster-description_1_0.dtd"));
    CHECK_THAT(e, Catch::Contains("d.xml:3: the DOCTYPE declares entity 'x' (SYSTEM "
                                  "'file:///etc/passwd'); a cluster description may not declare "
                                  "entities"));
    CHECK_THAT(e, !Catch::Contains("loadbalancer.xml"));
}

TEST_CASE("an entity in loadbalancer.xml is still refused as loadbalancer.xml's",
          "[description][entities]") {
    const auto result =
        config::load_string(with_entity("loadbalancer", "zdu-loadbalancer_1_4.dtd"), "lb.xml");
    CHECK_THAT(all_text(result), Catch::Contains("; loadbalancer.xml may not declare entities"));
}

TEST_CASE("the other-file refusal names the document kind", "[description][entities]") {
    CHECK_THAT(refusal_of("file:///etc/passwd", "a cluster description"),
               Catch::Contains("refused to load 'file:///etc/passwd': a cluster description may "
                               "not read other files"));
    CHECK_THAT(refusal_of("file:///etc/passwd", "loadbalancer.xml"),
               Catch::Contains("refused to load 'file:///etc/passwd': loadbalancer.xml may not "
                               "read other files"));
}
