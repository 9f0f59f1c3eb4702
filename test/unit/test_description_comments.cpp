// The comments of a cluster description survive load and write: each where it was, verbatim.
#include <catch2/catch.hpp>
#include <cstddef>

#include "description/model.hpp"
#include "description_test_support.hpp"

using namespace zdu::description;

namespace {

const std::string kCanonicalHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE cluster-description PUBLIC \"-//mod_zdu//DTD Cluster Description 1.0//EN\" "
    "\"zdu-cluster-description_1_0.dtd\">\n";

// In canonical form already, so write(load(x)) must give back x byte for byte.
const std::string kCommented = kCanonicalHead +
                               "<!-- before the root -->\n"
                               "<cluster-description>\n"
                               "  <!-- before applications -->\n"
                               "  <applications>\n"
                               "    <!-- before shop -->\n"
                               "    <application name=\"shop\" context-root=\"/shop\"/>\n"
                               "    <!--\n"
                               "      several lines,\n"
                               "        kept as they are\n"
                               "    -->\n"
                               "    <application name=\"blog\" context-root=\"/blog\"/>\n"
                               "    <!-- end of applications -->\n"
                               "  </applications>\n"
                               "  <clusters>\n"
                               "    <cluster name=\"c1\">\n"
                               "      <!-- i1 <&> \"first\" -->\n"
                               "      <server name=\"i1\" listeners=\"http://127.0.0.1:8081\"/>\n"
                               "      <server name=\"i2\" listeners=\"http://127.0.0.1:8082\"/>\n"
                               "      <!-- deployed on c1 -->\n"
                               "      <application-ref ref=\"shop\"/>\n"
                               "      <!-- end of c1 -->\n"
                               "    </cluster>\n"
                               "  </clusters>\n"
                               "  <servers>\n"
                               "    <!-- standalone servers go here -->\n"
                               "  </servers>\n"
                               "  <lb-configs>\n"
                               "    <lb-config name=\"lb\">\n"
                               "      <cluster-ref ref=\"c1\">\n"
                               "        <!-- the health checker -->\n"
                               "        <health-checker url=\"/ping\"/>\n"
                               "        <server-ref ref=\"i2\" lb-enabled=\"false\">\n"
                               "          <!-- nothing inside yet -->\n"
                               "        </server-ref>\n"
                               "      </cluster-ref>\n"
                               "    </lb-config>\n"
                               "  </lb-configs>\n"
                               "  <load-balancers/>\n"
                               "</cluster-description>\n"
                               "<!-- after the root -->\n";

std::string without(std::string text, const std::string& part) {
    const auto at = text.find(part);
    REQUIRE(at != std::string::npos);
    return text.erase(at, part.size());
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("load then write keeps every comment where it was", "[description][comments]") {
    const Description d = load_description_string(kCommented, "c.xml");
    CHECK(write_description(d) == kCommented);
}

TEST_CASE("comments are not part of the description's equality", "[description][comments]") {
    const Description d = load_description_string(kCommented, "c.xml");
    CHECK_FALSE(d.comments.empty());
    const Description again = load_description_string(write_description(d), "again.xml");
    CHECK(again == d);
    Description bare = d;
    bare.comments = {};
    CHECK(bare == d);
    CHECK(write_description(bare).find("<!--") == std::string::npos);
}

TEST_CASE("a comment is kept verbatim, markup characters included", "[description][comments]") {
    const Description d = load_description_string(kCommented, "c.xml");
    const auto& at = d.comments.at;
    const auto found = at.find("cluster-description/clusters/cluster[c1]/server[i1]");
    REQUIRE(found != at.end());
    CHECK(found->second == std::vector<std::string>{" i1 <&> \"first\" "});
    CHECK(write_description(d).find("<!-- i1 <&> \"first\" -->") != std::string::npos);
}

TEST_CASE("a deleted element's comments go with it, and only those", "[description][comments]") {
    Description d = load_description_string(kCommented, "c.xml");
    auto& servers = d.clusters.at(0).servers;
    servers.erase(servers.begin());  // i1, and the comment before it
    const std::string expected =
        without(without(kCommented, "      <!-- i1 <&> \"first\" -->\n"),
                "      <server name=\"i1\" listeners=\"http://127.0.0.1:8081\"/>\n");
    CHECK(write_description(d) == expected);
}

TEST_CASE("an element emptied by an edit keeps its end comments", "[description][comments]") {
    Description d = load_description_string(kCommented, "c.xml");
    d.applications.clear();
    d.clusters.at(0).servers.clear();
    d.clusters.at(0).application_refs.clear();
    d.lb_configs.at(0).cluster_refs.at(0).server_refs.clear();  // i2 is no longer a member
    const std::string text = write_description(d);
    // The comments before the removed elements go; the containers' own end comments stay.
    CHECK(text.find("before shop") == std::string::npos);
    CHECK(text.find("several lines") == std::string::npos);
    CHECK(text.find("deployed on c1") == std::string::npos);
    CHECK(text.find("nothing inside yet") == std::string::npos);
    CHECK(text.find("  <applications>\n    <!-- end of applications -->\n  </applications>\n") !=
          std::string::npos);
    CHECK(text.find("    <cluster name=\"c1\">\n      <!-- end of c1 -->\n    </cluster>\n") !=
          std::string::npos);
    CHECK(load_description_string(text, "again.xml") == d);
}

TEST_CASE("an added element has no comment", "[description][comments]") {
    Description d = load_description_string(kCommented, "c.xml");
    Server s3 = d.clusters.at(0).servers.at(1);
    s3.name = "i3";
    d.clusters.at(0).servers.push_back(s3);
    const std::string text = write_description(d);
    const std::string i2 = "      <server name=\"i2\" listeners=\"http://127.0.0.1:8082\"/>\n";
    CHECK(text.find(i2 + "      <server name=\"i3\" listeners=\"http://127.0.0.1:8082\"/>\n" +
                    "      <!-- deployed on c1 -->\n") != std::string::npos);
    CHECK(occurrences(text, "<!--") == occurrences(kCommented, "<!--"));
}

TEST_CASE("the commented sample keeps its comments", "[description][comments]") {
    const std::string sample = read_text(source_path("conf-samples/cluster-description.xml"));
    const Description d = load_description_string(sample, "sample.xml");
    const std::string text = write_description(d);
    auto comments = [](const std::string& xml) {
        std::vector<std::string> out;
        for (auto at = xml.find("<!--"); at != std::string::npos; at = xml.find("<!--", at + 4)) {
            out.push_back(xml.substr(at, xml.find("-->", at) + 3 - at));
        }
        return out;
    };
    REQUIRE(comments(sample).size() >= 5);
    CHECK(comments(text) == comments(sample));
}
