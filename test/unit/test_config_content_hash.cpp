// The content hash every config hash is: the generated-on footer write_xml ends a file with is
// not part of it, anything else is.
#include <catch2/catch.hpp>
#include <string>

#include "config/content_hash.hpp"
#include "config/model.hpp"
#include "config/writer.hpp"

using namespace zdu::config;

namespace {

LoadBalancer one_cluster(int weight) {
    LoadBalancer lb;
    Cluster c;
    c.name = "c1";
    Instance i;
    i.name = "i1";
    i.weight = weight;
    i.listeners.push_back(Listener{Scheme::Http, "127.0.0.1", 8081});
    c.instances.push_back(i);
    lb.clusters.push_back(c);
    return lb;
}

const std::string kBody =
    "<?xml version=\"1.0\"?>\n<loadbalancer>\n  <!-- kept: weight 100 -->\n"
    "  <property name=\"a\" value=\"1\"/>\n</loadbalancer>\n";

std::string footer(const std::string& date) {
    return "<!--\n This file was generated on: [" + date + "].\n-->\n";
}

}  // namespace

TEST_CASE("the generated-on footer is not part of the content hash", "[config][content-hash]") {
    const std::string monday = write_xml(one_cluster(100), "Mon Nov 30 10:00:00 UTC 2026");
    const std::string tuesday = write_xml(one_cluster(100), "Tue Dec 01 12:00:00 UTC 2026");
    REQUIRE(monday != tuesday);
    CHECK(content_hash(monday) == content_hash(tuesday));
    CHECK(without_generated_footer(kBody + footer("any date")) == kBody);
    // No footer at all: the same content as with one.
    CHECK(content_hash(kBody) == content_hash(kBody + footer("Tue Dec 01 12:00:00 UTC 2026")));
}

TEST_CASE("any other change changes the content hash", "[config][content-hash]") {
    CHECK(content_hash(write_xml(one_cluster(100), "d")) !=
          content_hash(write_xml(one_cluster(101), "d")));
    std::string attribute = kBody;
    attribute.replace(attribute.find("value=\"1\""), 9, "value=\"2\"");
    CHECK(content_hash(attribute + footer("d")) != content_hash(kBody + footer("d")));
    std::string comment = kBody;
    comment.replace(comment.find("weight 100"), 10, "weight 200");
    CHECK(content_hash(comment + footer("d")) != content_hash(kBody + footer("d")));
    CHECK(content_hash(kBody + " ") != content_hash(kBody));
}

TEST_CASE("only a footer in exactly write_xml's form is left out", "[config][content-hash]") {
    // Not at the very end: content follows it.
    const std::string inside = kBody + footer("d") + "<!-- more -->\n";
    CHECK(without_generated_footer(inside) == inside);
    // Another layout of the same words is a comment like any other.
    const std::string crlf = kBody + "<!--\r\n This file was generated on: [d].\r\n-->\r\n";
    CHECK(without_generated_footer(crlf) == crlf);
    const std::string one_line = kBody + "<!-- This file was generated on: [d]. -->\n";
    CHECK(without_generated_footer(one_line) == one_line);
    // "--" in the date would have ended the comment earlier: not write_xml's footer.
    const std::string dashes = kBody + footer("a -- b");
    CHECK(without_generated_footer(dashes) == dashes);
    // Not on a line of its own.
    const std::string glued = "<loadbalancer/>" + footer("d");
    CHECK(without_generated_footer(glued) == glued);
    // write_xml's own output with a "--" in the date (comment_safe spaces it) is still its form.
    const std::string safe = write_xml(one_cluster(100), "a--b");
    CHECK(without_generated_footer(safe).size() < safe.size());
}

TEST_CASE("the content hash is the first 64 bits of SHA-256", "[config][content-hash]") {
    // SHA-256("abc") = ba7816bf8f01cfea 414140de...
    CHECK(content_hash("abc") == 0xba7816bf8f01cfeaULL);
    // SHA-256("") = e3b0c44298fc1c14...: a footer alone is no content.
    CHECK(content_hash(footer("x")) == 0xe3b0c44298fc1c14ULL);
}
