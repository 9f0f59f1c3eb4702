#include <catch2/catch.hpp>

#include "manager/page_session.hpp"

using namespace zdu::manager;

namespace {
constexpr std::int64_t kNow = 1'800'000'000;
}

TEST_CASE("a page session is accepted with its secret until it expires", "[manager][page]") {
    const std::string session = make_page_session("s3cret", kNow, 60);
    REQUIRE_FALSE(session.empty());
    CHECK(session.rfind(std::to_string(kNow + 60) + ".", 0) == 0);
    CHECK(page_session_valid("s3cret", session, kNow));
    CHECK(page_session_valid("s3cret", session, kNow + 59));
    CHECK_FALSE(page_session_valid("s3cret", session, kNow + 60));
    // Another front-end with the same secret accepts it; another secret does not.
    CHECK_FALSE(page_session_valid("other", session, kNow));
    CHECK_FALSE(page_session_valid("", session, kNow));
    CHECK(make_page_session("", kNow).empty());
}

TEST_CASE("a page session cannot be extended or forged", "[manager][page]") {
    const std::string session = make_page_session("s3cret", kNow, 60);
    const std::string mac = session.substr(session.find('.') + 1);
    CHECK_FALSE(page_session_valid("s3cret", std::to_string(kNow + 9999) + "." + mac, kNow));
    std::string flipped = session;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    CHECK_FALSE(page_session_valid("s3cret", flipped, kNow));
    CHECK_FALSE(page_session_valid("s3cret", session.substr(0, session.size() - 1), kNow));
    CHECK_FALSE(page_session_valid("s3cret", "", kNow));
    CHECK_FALSE(page_session_valid("s3cret", mac, kNow));
    CHECK_FALSE(page_session_valid("s3cret", "-5." + mac, kNow));
    CHECK_FALSE(page_session_valid("s3cret", session + "0", kNow));
}

TEST_CASE("the page token is bound to the session and the secret", "[manager][page]") {
    const std::string a = make_page_session("s3cret", kNow, 60);
    const std::string b = make_page_session("s3cret", kNow, 61);
    const std::string token = page_token("s3cret", a);
    CHECK(token.size() == 64);
    CHECK(page_token_valid("s3cret", a, token));
    CHECK_FALSE(page_token_valid("s3cret", b, token));
    CHECK_FALSE(page_token_valid("other", a, token));
    CHECK_FALSE(page_token_valid("s3cret", a, ""));
    CHECK_FALSE(page_token_valid("s3cret", "", page_token("s3cret", "")));
    CHECK_FALSE(page_token_valid("s3cret", a, token.substr(0, 63)));
    // The token is not the session's own MAC: a cookie value never serves as a token.
    CHECK(token != a.substr(a.find('.') + 1));
}

TEST_CASE("the session cookie is read from a Cookie header", "[manager][page]") {
    CHECK(cookie_value(nullptr, "zdu_manager").empty());
    CHECK(cookie_value("a=1; zdu_manager=123.abc; b=2", "zdu_manager") == "123.abc");
    CHECK(cookie_value("zdu_manager=x", "zdu_manager") == "x");
    CHECK(cookie_value("xzdu_manager=1", "zdu_manager").empty());
    CHECK(cookie_value("a=1;zdu_manager=2", "zdu_manager") == "2");
}

TEST_CASE("the Set-Cookie of a page session", "[manager][page]") {
    const std::string c = session_set_cookie("v", "/zdu-manager", false, 60);
    CHECK(c == "zdu_manager=v; Path=/zdu-manager; Max-Age=60; HttpOnly; SameSite=Strict");
    CHECK_THAT(session_set_cookie("v", "/m", true, 0), Catch::EndsWith("; Secure"));
    CHECK_THAT(session_set_cookie("", "/m", false, 0), Catch::Contains("Max-Age=0"));
    // A path that could carry attributes is not copied.
    CHECK_THAT(session_set_cookie("v", "/m;Domain=evil", false, 1), Catch::Contains("Path=/;"));
}

TEST_CASE("only requests from the page's own origin pass", "[manager][page]") {
    const std::string own = own_origin("http", "127.0.0.1:8080");
    CHECK(own == "http://127.0.0.1:8080");
    CHECK(own_origin("http", "Example.org:80") == "http://example.org");
    CHECK(own_origin("https", "example.org:443") == "https://example.org");
    CHECK(same_origin_request(own, "http://127.0.0.1:8080", nullptr));
    CHECK_FALSE(same_origin_request(own, "http://evil.example", nullptr));
    CHECK_FALSE(same_origin_request(own, "null", nullptr));
    CHECK_FALSE(same_origin_request(own, "https://127.0.0.1:8080", nullptr));
    // The Origin decides when present, whatever the Referer says.
    CHECK_FALSE(same_origin_request(own, "http://evil.example", "http://127.0.0.1:8080/x"));
    CHECK(same_origin_request(own, nullptr, "http://127.0.0.1:8080/zdu-manager"));
    CHECK(same_origin_request(own, nullptr, "http://127.0.0.1:8080"));
    CHECK_FALSE(same_origin_request(own, nullptr, "http://127.0.0.1:80801/zdu-manager"));
    CHECK_FALSE(same_origin_request(own, nullptr, "http://evil.example/zdu-manager"));
    CHECK(same_origin_request(own, nullptr, nullptr));
}
