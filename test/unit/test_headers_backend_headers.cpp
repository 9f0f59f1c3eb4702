#include <catch2/catch.hpp>

#include "headers/backend_headers.hpp"

using zdu::headers::BackendHeaders;
using zdu::headers::HeaderSelection;

namespace {
bool none_of(const HeaderSelection& s) {
    return !s.jroute && !s.ip && !s.keysize && !s.auth_cert && !s.forwarded_proto;
}
}  // namespace

TEST_CASE("BackendHeaders: by default plain HTTP to plain HTTP carries none", "[headers]") {
    CHECK(none_of(BackendHeaders{}.select(false, false)));
}

TEST_CASE("BackendHeaders: by default a TLS client's facts go with its request", "[headers]") {
    const HeaderSelection s = BackendHeaders{}.select(true, false);
    CHECK(s.ip);
    CHECK(s.keysize);
    CHECK(s.auth_cert);
    CHECK(s.forwarded_proto);  // https client, http instance
    CHECK_FALSE(s.jroute);
}

TEST_CASE("BackendHeaders: by default X-Forwarded-Proto only when the schemes differ",
          "[headers]") {
    CHECK(BackendHeaders{}.select(false, true).forwarded_proto);
    CHECK_FALSE(BackendHeaders{}.select(false, true).ip);
    CHECK_FALSE(BackendHeaders{}.select(true, true).forwarded_proto);
    CHECK_FALSE(BackendHeaders{}.select(false, false).forwarded_proto);
}

TEST_CASE("BackendHeaders: the names given are the ones sent", "[headers]") {
    BackendHeaders h;
    CHECK(h.apply("proxy-JROUTE").empty());
    HeaderSelection s = h.select(false, false);
    CHECK(s.jroute);
    CHECK_FALSE(s.ip);
    CHECK_FALSE(s.forwarded_proto);
    // Naming replaces auto: a TLS client's address is not sent unless named.
    CHECK_FALSE(h.select(true, false).ip);
    // A second argument (or a second directive line) adds to the first.
    CHECK(h.apply("X-Forwarded-Proto").empty());
    s = h.select(false, false);
    CHECK(s.forwarded_proto);
    CHECK(s.jroute);
}

TEST_CASE("BackendHeaders: auto with a name adds that name to the rules", "[headers]") {
    BackendHeaders h;
    CHECK(h.apply("auto").empty());
    CHECK(h.apply("Proxy-jroute").empty());
    CHECK(h.select(false, false).jroute);
    CHECK_FALSE(h.select(false, false).ip);
    CHECK(h.select(true, false).ip);
}

TEST_CASE("BackendHeaders: all sends each header where it applies", "[headers]") {
    BackendHeaders h;
    CHECK(h.apply("all").empty());
    HeaderSelection s = h.select(false, false);
    CHECK(s.jroute);
    CHECK(s.ip);
    CHECK(s.forwarded_proto);
    CHECK_FALSE(s.keysize);  // only a TLS connection has a key size
    CHECK_FALSE(s.auth_cert);
    s = h.select(true, true);
    CHECK(s.keysize);
    CHECK(s.auth_cert);
}

TEST_CASE("BackendHeaders: none sends nothing", "[headers]") {
    BackendHeaders h;
    CHECK(h.apply("all").empty());
    CHECK(h.apply("none").empty());
    CHECK(none_of(h.select(true, false)));
    CHECK(none_of(h.select(false, false)));
}

TEST_CASE("BackendHeaders: an unknown name is refused by name", "[headers]") {
    BackendHeaders h;
    const std::string error = h.apply("Proxy-jroutes");
    CHECK(error.find("'Proxy-jroutes'") != std::string::npos);
    CHECK(error.find("Proxy-jroute,") != std::string::npos);  // the list of what is known
    CHECK(h.apply("Proxy-ping").find("'Proxy-ping'") != std::string::npos);
}
