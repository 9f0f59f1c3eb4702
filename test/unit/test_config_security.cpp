// loadbalancer.xml may name nothing but the bundled DTDs: no entity, no other DTD, no file, no
// network. Each refusal names what was refused, and nothing outside the text is read.
#include <libxml/globals.h>
#include <libxml/xmlerror.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "config/loader.hpp"
#include "diagnostics_text.hpp"

using namespace zdu::config;

namespace {

constexpr const char* kMarker = "ZDU-SECRET-MARKER-7f3a";

// A file outside the document that a successful attack would read.
class SecretFile {
  public:
    SecretFile()
        : path_(std::filesystem::temp_directory_path() /
                ("zdu-secret-" + std::to_string(::getpid()) + ".txt")) {
        std::ofstream(path_) << kMarker << "\n";
    }
    ~SecretFile() { std::filesystem::remove(path_); }
    std::string path() const { return path_.string(); }
    std::string url() const { return "file://" + path_.string(); }

  private:
    std::filesystem::path path_;
};

constexpr const char* kBody = R"(<loadbalancer>
  <cluster name="c1">
    <instance name="i1" listeners="http://h1:8080"/>
    <web-module context-root="/app" error-url="&x;"/>
  </cluster>
</loadbalancer>
)";

}  // namespace

TEST_CASE("external general entity is refused unread", "[config][security]") {
    const SecretFile secret;
    const std::string xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer [\n"
        "  <!ENTITY x SYSTEM \"" +
        secret.url() + "\">\n]>\n" + kBody;
    const auto result = load_string(xml, "xxe.xml");
    const std::string text = all_text(result);
    INFO(text);
    CHECK_FALSE(result.ok());
    CHECK(text.find("xxe.xml:3: ") != std::string::npos);
    CHECK(text.find("entity 'x'") != std::string::npos);
    CHECK(text.find(secret.url()) != std::string::npos);
    CHECK(text.find(kMarker) == std::string::npos);
}

TEST_CASE("entity pointing at a plain path is refused unread", "[config][security]") {
    const SecretFile secret;
    const std::string xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer SYSTEM "
        "\"glassfish-loadbalancer_1_3.dtd\" [\n  <!ENTITY x SYSTEM \"" +
        secret.path() + "\">\n]>\n" + kBody;
    const auto result = load_string(xml, "xxe.xml");
    const std::string text = all_text(result);
    INFO(text);
    CHECK_FALSE(result.ok());
    CHECK(text.find(secret.path()) != std::string::npos);
    CHECK(text.find(kMarker) == std::string::npos);
}

TEST_CASE("external parameter entity is refused unread", "[config][security]") {
    const SecretFile secret;
    const std::string xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer [\n"
        "  <!ENTITY % p SYSTEM \"" +
        secret.url() + "\">\n  %p;\n]>\n<loadbalancer/>\n";
    const auto result = load_string(xml, "pe.xml");
    const std::string text = all_text(result);
    INFO(text);
    CHECK_FALSE(result.ok());
    CHECK(text.find("pe.xml:3: ") != std::string::npos);
    CHECK(text.find("parameter entity '%p'") != std::string::npos);
    CHECK(text.find(kMarker) == std::string::npos);
}

TEST_CASE("internal entity declarations are refused", "[config][security]") {
    const std::string xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer [\n"
        "  <!ENTITY x \"harmless\">\n]>\n" +
        std::string(kBody);
    const auto result = load_string(xml, "entity.xml");
    INFO(all_text(result));
    CHECK_FALSE(result.ok());
    CHECK(all_text(result).find("entity.xml:3: the DOCTYPE declares entity 'x'") !=
          std::string::npos);
}

TEST_CASE("billion laughs is refused quickly", "[config][security]") {
    std::string xml =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer [\n"
        "  <!ENTITY lol0 \"lol\">\n";
    for (int i = 1; i <= 9; ++i) {
        const std::string prev = "&lol" + std::to_string(i - 1) + ";";
        std::string value;
        for (int k = 0; k < 10; ++k) value += prev;
        xml += "  <!ENTITY lol" + std::to_string(i) + " \"" + value + "\">\n";
    }
    xml += "]>\n<loadbalancer><property name=\"x\" value=\"&lol9;\"/></loadbalancer>\n";
    const auto start = std::chrono::steady_clock::now();
    const auto result = load_string(xml, "lol.xml");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    INFO(all_text(result));
    CHECK_FALSE(result.ok());
    CHECK(all_text(result).find("entity 'lol0'") != std::string::npos);
    CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("DOCTYPE naming a DTD on the network is refused", "[config][security]") {
    const auto result = load_string(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer SYSTEM \"http://example.com/x.dtd\">\n" +
            std::string("<loadbalancer/>\n"),
        "net.xml");
    const std::string text = all_text(result);
    INFO(text);
    CHECK_FALSE(result.ok());
    CHECK(text.find("net.xml:2: refused to load 'http://example.com/x.dtd'") != std::string::npos);
}

TEST_CASE("DOCTYPE naming a local file is refused unread", "[config][security]") {
    const SecretFile secret;
    for (const std::string& id : {std::string("/etc/passwd"), secret.path(), secret.url()}) {
        const auto result =
            load_string("<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer SYSTEM \"" + id +
                            "\">\n<loadbalancer/>\n",
                        "local.xml");
        const std::string text = all_text(result);
        INFO(text);
        CHECK_FALSE(result.ok());
        CHECK(text.find("refused to load '" + id + "'") != std::string::npos);
        CHECK(text.find(kMarker) == std::string::npos);
        CHECK(text.find("root:") == std::string::npos);
    }
}

TEST_CASE("bundled DTD is found under any directory or URL", "[config][security]") {
    const auto result = load_string(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer PUBLIC \"-//x//EN\" "
        "\"http://unreachable.invalid/dtds/sun-loadbalancer_1_2.dtd\">\n"
        "<loadbalancer><cluster name=\"c\" policy=\"weighted-round-robin\"/></loadbalancer>\n",
        "url.xml");
    INFO(all_text(result));
    CHECK(result.ok());
}

TEST_CASE("internal subset may not redeclare the DTD", "[config][security]") {
    const auto result = load_string(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer SYSTEM \"zdu-loadbalancer_1_4.dtd\" [\n"
        "  <!ATTLIST instance listeners CDATA #IMPLIED>\n]>\n<loadbalancer/>\n",
        "attlist.xml");
    INFO(all_text(result));
    CHECK_FALSE(result.ok());
    CHECK(all_text(result).find("attlist.xml:3: the DOCTYPE declares attribute 'listeners'") !=
          std::string::npos);
}

TEST_CASE("unparsed entities are refused", "[config][security]") {
    const auto result = load_string(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE loadbalancer [\n"
        "  <!NOTATION n SYSTEM \"n\">\n  <!ENTITY u SYSTEM \"http://example.com/u\" NDATA n>\n"
        "]>\n<loadbalancer/>\n",
        "ndata.xml");
    INFO(all_text(result));
    CHECK_FALSE(result.ok());
    CHECK(all_text(result).find("ndata.xml:3: the DOCTYPE declares notation 'n'") !=
          std::string::npos);
}

TEST_CASE("libxml2 errors are collected, not printed", "[config][security]") {
    std::fflush(stderr);
    const int saved = ::dup(2);
    std::FILE* capture = std::tmpfile();
    REQUIRE(capture != nullptr);
    ::dup2(::fileno(capture), 2);
    const auto result = load_string("<loadbalancer><cluster></loadbalancer>", "broken.xml");
    std::fflush(stderr);
    ::dup2(saved, 2);
    ::close(saved);
    std::fseek(capture, 0, SEEK_END);
    const long printed = std::ftell(capture);
    std::fclose(capture);
    CHECK(printed == 0);
    REQUIRE_FALSE(result.diagnostics.empty());
    CHECK(result.diagnostics.front().text().rfind("broken.xml:1: ", 0) == 0);
}

namespace {

int foreign_errors = 0;
void foreign_handler(void*, xmlErrorPtr) {
    ++foreign_errors;
}

}  // namespace

TEST_CASE("the thread's own libxml2 error handler is put back", "[config][security]") {
    foreign_errors = 0;
    xmlSetStructuredErrorFunc(&foreign_errors, foreign_handler);
    const auto result = load_string("<loadbalancer><oops/></loadbalancer>", "handler.xml");
    CHECK_FALSE(result.ok());
    CHECK(foreign_errors == 0);
    CHECK(xmlStructuredError == foreign_handler);
    CHECK(xmlStructuredErrorContext == &foreign_errors);
    xmlSetStructuredErrorFunc(nullptr, nullptr);
}

TEST_CASE("loads run in parallel threads", "[config][security]") {
    const std::string good =
        "<loadbalancer><cluster name=\"c\"><instance name=\"i\" "
        "listeners=\"http://h:1\"/></cluster></loadbalancer>";
    const std::string bad =
        "<loadbalancer><cluster name=\"c\"><instance name=\"i\"/>"
        "</cluster></loadbalancer>";
    std::vector<int> outcomes(8, -1);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < outcomes.size(); ++t) {
        threads.emplace_back([&, t] {
            bool right = true;
            for (int round = 0; round < 50; ++round) {
                const bool want_ok = (t + round) % 2 == 0;
                const auto r = load_string(want_ok ? good : bad, "t.xml");
                right = right && r.ok() == want_ok && (want_ok || r.diagnostics.size() == 1);
            }
            outcomes[t] = right ? 1 : 0;
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(outcomes == std::vector<int>(8, 1));
}
