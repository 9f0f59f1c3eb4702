#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "health/cancel_signal.hpp"
#include "health/http_ping.hpp"
#include "test_health_server.hpp"

using namespace zdu::health;
using zdu::test::TestServer;
using namespace std::chrono_literals;

namespace {

PingTarget local(std::uint16_t port, std::string path = "/health") {
    return PingTarget{"127.0.0.1", port, std::move(path)};
}

}  // namespace

TEST_CASE("a ping is a GET with Proxy-ping that reads the status", "[health][ping]") {
    TestServer server(TestServer::Mode::Answer, 200);
    PingResult r = http_ping(local(server.port(), "/app/health?x=1"), 2000ms);
    CHECK(r.error == "");
    CHECK(r.status == 200);
    CHECK(r.healthy());
    const std::string request = server.last_request();
    CHECK(request.rfind("GET /app/health?x=1 HTTP/1.1\r\n", 0) == 0);
    CHECK(request.find("\r\nProxy-ping: true\r\n") != std::string::npos);
    CHECK(request.find("\r\nHost: 127.0.0.1:" + std::to_string(server.port()) + "\r\n") !=
          std::string::npos);
}

TEST_CASE("statuses from 100 to 500 are healthy (GlassFish's rule)", "[health][ping]") {
    const int status = GENERATE(100, 200, 302, 404, 500);
    TestServer server(TestServer::Mode::Answer, status);
    PingResult r = http_ping(local(server.port()), 2000ms);
    CHECK(r.status == status);
    CHECK(r.healthy());
}

TEST_CASE("statuses above 500 are unhealthy answers, not errors", "[health][ping]") {
    const int status = GENERATE(501, 503, 504);
    TestServer server(TestServer::Mode::Answer, status);
    PingResult r = http_ping(local(server.port()), 2000ms);
    CHECK(r.error == "");
    CHECK(r.status == status);
    CHECK_FALSE(r.healthy());
}

TEST_CASE("a backend that never answers times out after the timeout", "[health][ping]") {
    TestServer server(TestServer::Mode::Silent);
    PingResult r = http_ping(local(server.port()), 300ms);
    CHECK_FALSE(r.healthy());
    CHECK(r.error.find("timed out") != std::string::npos);
    CHECK(r.elapsed >= 250ms);
    CHECK(r.elapsed < 2s);
}

TEST_CASE("a closed port is refused at once", "[health][ping]") {
    PingResult r = http_ping(local(TestServer::closed_port()), 5000ms);
    CHECK_FALSE(r.healthy());
    CHECK(r.status == 0);
    CHECK(r.error.find("connect") != std::string::npos);
    CHECK(r.elapsed < 1s);
}

TEST_CASE("a connection closed or answered without HTTP is unhealthy", "[health][ping]") {
    SECTION("closed") {
        TestServer server(TestServer::Mode::Close);
        PingResult r = http_ping(local(server.port()), 2000ms);
        CHECK_FALSE(r.healthy());
        CHECK(r.error == "connection closed before a status line");
    }
    SECTION("not HTTP") {
        TestServer server(TestServer::Mode::Garbage);
        PingResult r = http_ping(local(server.port()), 2000ms);
        CHECK_FALSE(r.healthy());
        CHECK(r.error == "not an HTTP response");
    }
}

TEST_CASE("a name is tried on each of its addresses", "[health][ping]") {
    // localhost may resolve to ::1 first, where nothing listens.
    TestServer server(TestServer::Mode::Answer, 204);
    PingResult r = http_ping(PingTarget{"localhost", server.port(), "/"}, 2000ms);
    CHECK(r.status == 204);
}

TEST_CASE("a cancelled ping gives up without waiting for its timeout", "[health][ping]") {
    TestServer server(TestServer::Mode::Silent);
    CancelSignal cancel;
    SECTION("while waiting") {
        std::thread canceller([&] {
            std::this_thread::sleep_for(100ms);
            cancel.fire();
        });
        PingResult r = http_ping(local(server.port()), 10000ms, cancel.fd());
        canceller.join();
        CHECK(r.error == "cancelled");
        CHECK(r.elapsed < 3s);
    }
    SECTION("before it starts") {
        cancel.fire();
        CHECK(cancel.fired());
        PingResult r = http_ping(local(server.port()), 10000ms, cancel.fd());
        CHECK(r.error == "cancelled");
        CHECK(r.elapsed < 1s);
    }
}

TEST_CASE("ping urls", "[health][ping]") {
    PingTarget t;
    REQUIRE(parse_ping_url("http://10.0.0.1:8080", t));
    CHECK(t.host == "10.0.0.1");
    CHECK(t.port == 8080);
    CHECK(t.path == "/");
    REQUIRE(parse_ping_url("http://app.example:80/shop/health", t));
    CHECK(t.host == "app.example");
    CHECK(t.path == "/shop/health");
    REQUIRE(parse_ping_url("http://[::1]:9000/x", t));
    CHECK(t.host == "::1");
    CHECK(t.port == 9000);
    CHECK_FALSE(parse_ping_url("https://10.0.0.1:8181", t));
    CHECK_FALSE(parse_ping_url("http://10.0.0.1", t));
    CHECK_FALSE(parse_ping_url("http://:80", t));
    CHECK_FALSE(parse_ping_url("http://h:0", t));
    CHECK_FALSE(parse_ping_url("http://h:65536", t));
    CHECK_FALSE(parse_ping_url("http://h:8x", t));
    CHECK_FALSE(parse_ping_url("http://[::1]9000", t));
    CHECK(t.host == "::1");  // failed parses leave the target as it was
}
