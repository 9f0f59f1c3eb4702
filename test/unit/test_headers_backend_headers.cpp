#include <catch2/catch.hpp>

#include "headers/backend_headers.hpp"

using zdu::headers::BackendHeaders;

namespace {
bool all_on(const BackendHeaders& h) {
    return h.jroute && h.ip && h.keysize && h.auth_cert && h.forwarded_proto;
}
}  // namespace

TEST_CASE("BackendHeaders: all sent unless the directive says otherwise", "[headers]") {
    CHECK(all_on(BackendHeaders{}));
}

TEST_CASE("BackendHeaders: the names given are the ones sent", "[headers]") {
    BackendHeaders h;
    CHECK(h.apply("proxy-JROUTE").empty());
    CHECK(h.jroute);
    CHECK_FALSE(h.ip);
    CHECK_FALSE(h.keysize);
    CHECK_FALSE(h.auth_cert);
    CHECK_FALSE(h.forwarded_proto);
    // A second argument (or a second directive line) adds to the first.
    CHECK(h.apply("X-Forwarded-Proto").empty());
    CHECK(h.forwarded_proto);
    CHECK(h.jroute);
}

TEST_CASE("BackendHeaders: none sends nothing", "[headers]") {
    BackendHeaders h;
    CHECK(h.apply("none").empty());
    CHECK_FALSE(h.jroute);
    CHECK_FALSE(h.ip);
    CHECK_FALSE(h.forwarded_proto);
}

TEST_CASE("BackendHeaders: an unknown name is refused by name", "[headers]") {
    BackendHeaders h;
    const std::string error = h.apply("Proxy-jroutes");
    CHECK(error.find("'Proxy-jroutes'") != std::string::npos);
    CHECK(error.find("Proxy-jroute,") != std::string::npos);  // the list of what is known
    CHECK(h.apply("Proxy-ping").find("'Proxy-ping'") != std::string::npos);
}
