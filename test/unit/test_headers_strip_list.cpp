#include <catch2/catch.hpp>
#include <string>

#include "headers/header_name_set.hpp"
#include "headers/strip_list.hpp"

using zdu::headers::HeaderNameSet;
using zdu::headers::StripList;

TEST_CASE("HeaderNameSet: case-insensitive, duplicates once", "[headers]") {
    HeaderNameSet set({"X-Real-IP", "Forwarded", "x-real-ip"});
    CHECK(set.size() == 2);
    CHECK(set.contains("x-REAL-ip"));
    CHECK(set.contains("FORWARDED"));
    CHECK_FALSE(set.contains("X-Real"));
    CHECK_FALSE(set.contains("X-Real-IPs"));
    CHECK_FALSE(set.contains(""));
    CHECK_FALSE(HeaderNameSet().contains("Forwarded"));
}

TEST_CASE("HeaderNameSet: many names all found", "[headers]") {
    std::vector<std::string> names;
    for (int i = 0; i < 500; ++i) names.push_back("X-Name-" + std::to_string(i));
    HeaderNameSet set(names);
    for (const auto& n : names) CHECK(set.contains(n));
    CHECK_FALSE(set.contains("X-Name-500"));
}

TEST_CASE("header names are RFC 9110 tokens", "[headers]") {
    CHECK(zdu::headers::is_header_name("X-Forwarded-For"));
    CHECK(zdu::headers::is_header_name("SSL_CLIENT_CERT"));
    CHECK_FALSE(zdu::headers::is_header_name(""));
    CHECK_FALSE(zdu::headers::is_header_name("X Forwarded"));
    CHECK_FALSE(zdu::headers::is_header_name("X-A:b"));
}

TEST_CASE("default strip list: own headers and the forwarding family", "[headers]") {
    StripList list;
    for (const char* name :
         {"Proxy-jroute",       "proxy-ip",          "Proxy-keysize",       "Proxy-auth-cert",
          "Proxy-ping",         "X-Forwarded-Proto", "X-Forwarded-For",     "X-Forwarded-Host",
          "X-Forwarded-Server", "Forwarded",         "X-Real-IP",           "X-Forwarded-Port",
          "X-Forwarded-Prefix", "X-Forwarded-Ssl",   "X-Forwarded-Scheme",  "X-Url-Scheme",
          "Front-End-Https",    "X-Client-IP",       "X-Cluster-Client-Ip", "True-Client-IP",
          "WL-Proxy-SSL",       "SSL_CLIENT_CERT"}) {
        CHECK(list.strips(name));
    }
    CHECK_FALSE(list.strips("Host"));
    CHECK_FALSE(list.strips("Cookie"));
    CHECK_FALSE(list.strips("X-Forwarded-Fo"));
    CHECK(list.listed().size() == zdu::headers::default_strip_headers().size());
}

TEST_CASE("ZduStripClientHeaders adds, removes and replaces", "[headers]") {
    StripList list;
    CHECK(list.apply("X-Edge-Client").empty());
    CHECK(list.strips("x-edge-client"));
    CHECK(list.apply("-x-real-ip").empty());
    CHECK_FALSE(list.strips("X-Real-IP"));
    CHECK(list.strips("Forwarded"));
    CHECK(list.apply("X-Real-IP").empty());  // back again
    CHECK(list.strips("X-Real-IP"));

    CHECK(list.apply("None").empty());
    CHECK(list.listed().empty());
    CHECK_FALSE(list.strips("Forwarded"));
    CHECK_FALSE(list.strips("X-Edge-Client"));
    CHECK(list.strips("Proxy-ip"));  // own headers stay
    CHECK(list.strips("X-Forwarded-Proto"));
    CHECK(list.apply("X-Only").empty());
    CHECK(list.apply("x-only").empty());  // once, whatever the case
    CHECK(list.listed() == std::vector<std::string>{"x-only"});
}

TEST_CASE("ZduStripClientHeaders refuses bad names and own headers", "[headers]") {
    StripList list;
    CHECK(list.apply("-Proxy-IP").find("set by mod_zdu") != std::string::npos);
    CHECK(list.apply("-X-Forwarded-Proto").find("X-Forwarded-Proto") != std::string::npos);
    CHECK(list.strips("Proxy-ip"));
    CHECK_FALSE(list.apply("Bad:Name").empty());
    CHECK_FALSE(list.apply("-").empty());
    CHECK_FALSE(list.apply("").empty());
    CHECK(list.apply("Proxy-ip").empty());  // adding an own header is harmless
}

TEST_CASE("HeaderNameSet: a C string is found in any case, a near miss is not", "[headers]") {
    HeaderNameSet set({"X-Real-IP", "Proxy-ip", "1st-Hop", "~Odd"});
    for (const char* name : {"x-real-ip", "X-REAL-IP", "proxy-IP", "1ST-hop", "~odd"}) {
        CHECK(set.contains(name));
    }
    // Same first letter, other length; same length, other letter; the empty name.
    for (const char* name : {"X-Real", "Proxy-ips", "Qroxy-ip", "", "2st-Hop", "^Odd"}) {
        CHECK_FALSE(set.contains(name));
    }
    // A name longer than 63 characters shares one length bit with every other such name.
    const std::string long_name(80, 'L');
    HeaderNameSet longs({long_name});
    CHECK(longs.contains(long_name.c_str()));
    CHECK_FALSE(longs.contains(std::string(70, 'L').c_str()));
}

TEST_CASE("StripList: request header names as httpd hands them over", "[headers]") {
    StripList list;
    CHECK(list.strips("x-forwarded-port"));
    CHECK(list.strips("PROXY-JROUTE"));
    CHECK_FALSE(list.strips("Cookie"));
    CHECK_FALSE(list.strips("Connection"));
    CHECK_FALSE(list.strips("Host"));
}
