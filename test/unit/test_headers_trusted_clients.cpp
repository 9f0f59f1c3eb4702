#include <catch2/catch.hpp>
#include <string>

#include "headers/trusted_clients.hpp"

using zdu::headers::TrustedClients;

namespace {

TrustedClients with(std::initializer_list<const char*> ranges) {
    TrustedClients t;
    for (const char* r : ranges) {
        const auto err = t.add(r);
        INFO(r << ": " << err.value_or(""));
        REQUIRE_FALSE(err);
    }
    return t;
}

}  // namespace

TEST_CASE("trusted clients: empty trusts nobody", "[headers][trusted]") {
    TrustedClients t;
    CHECK(t.empty());
    CHECK_FALSE(t.contains("127.0.0.1"));
    CHECK_FALSE(t.contains("::1"));
}

TEST_CASE("trusted clients: IPv4 ranges", "[headers][trusted]") {
    const auto t = with({"10.0.0.0/8", "192.168.1.7", "172.16.0.0/12"});
    CHECK_FALSE(t.empty());
    CHECK(t.contains("10.0.0.0"));
    CHECK(t.contains("10.255.255.255"));
    CHECK_FALSE(t.contains("11.0.0.0"));
    CHECK_FALSE(t.contains("9.255.255.255"));
    CHECK(t.contains("192.168.1.7"));
    CHECK_FALSE(t.contains("192.168.1.8"));
    CHECK(t.contains("172.31.255.255"));
    CHECK_FALSE(t.contains("172.32.0.0"));
    CHECK_FALSE(t.contains("172.15.255.255"));
}

TEST_CASE("trusted clients: IPv4 prefix lengths 0..32", "[headers][trusted]") {
    for (int p = 0; p <= 32; ++p) {
        TrustedClients t;
        REQUIRE_FALSE(t.add("128.0.0.0/" + std::to_string(p)));
        CAPTURE(p);
        CHECK(t.contains("128.0.0.0"));
        // Addresses that differ from 128.0.0.0 in one bit, counted from the most significant.
        if (p < 32) {
            const std::uint32_t v = 0x80000000u ^ (0x80000000u >> p);
            const std::string other =
                std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
                std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255);
            CAPTURE(other);
            // Bit p is the first past the prefix: inside.
            CHECK(t.contains(other));
        }
        if (p > 0) {
            const std::uint32_t v = 0x80000000u ^ (0x80000000u >> (p - 1));
            const std::string other =
                std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
                std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255);
            CAPTURE(other);
            // Bit p-1 is the last of the prefix: outside.
            CHECK_FALSE(t.contains(other));
        }
        // The last host bit is inside every range but /32.
        CHECK(t.contains("128.0.0.1") == (p < 32));
    }
}

TEST_CASE("trusted clients: /0 is every IPv4 client, no IPv6 one", "[headers][trusted]") {
    const auto t = with({"0.0.0.0/0"});
    CHECK(t.contains("1.2.3.4"));
    CHECK(t.contains("255.255.255.255"));
    CHECK(t.contains("::ffff:1.2.3.4"));
    CHECK_FALSE(t.contains("::1"));
    CHECK_FALSE(t.contains("2001:db8::1"));
}

TEST_CASE("trusted clients: IPv6 ranges and prefix lengths 0..128", "[headers][trusted]") {
    const auto t = with({"2001:db8::/32", "::1"});
    CHECK(t.contains("::1"));
    CHECK(t.contains("0:0:0:0:0:0:0:1"));
    CHECK_FALSE(t.contains("::2"));
    CHECK(t.contains("2001:db8:ffff::1"));
    CHECK(t.contains("2001:DB8::"));
    CHECK_FALSE(t.contains("2001:db9::1"));
    CHECK_FALSE(t.contains("127.0.0.1"));

    for (int p = 0; p <= 128; ++p) {
        TrustedClients r;
        REQUIRE_FALSE(r.add("8000::/" + std::to_string(p)));
        CAPTURE(p);
        CHECK(r.contains("8000::"));
        CHECK(r.contains("8000::1") == (p < 128));
        CHECK(r.contains("::") == (p == 0));
    }
    TrustedClients all;
    REQUIRE_FALSE(all.add("::/0"));
    CHECK(all.contains("::"));
    CHECK(all.contains("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
}

TEST_CASE("trusted clients: IPv4-mapped addresses match IPv4 ranges", "[headers][trusted]") {
    const auto t = with({"10.1.0.0/16"});
    CHECK(t.contains("::ffff:10.1.2.3"));
    CHECK(t.contains("::FFFF:10.1.255.255"));
    CHECK_FALSE(t.contains("::ffff:10.2.0.1"));
    // Not mapped: the IPv4-compatible form is another address.
    CHECK_FALSE(t.contains("::10.1.2.3"));
    // A mapped range written in IPv6 form matches plain IPv4 clients too.
    const auto m = with({"::ffff:192.0.2.0/120"});
    CHECK(m.contains("192.0.2.200"));
    CHECK_FALSE(m.contains("192.0.3.1"));
}

TEST_CASE("trusted clients: host bits under the prefix are ignored", "[headers][trusted]") {
    const auto t = with({"10.9.8.7/8"});
    CHECK(t.contains("10.0.0.1"));
    CHECK_FALSE(t.contains("11.9.8.7"));
}

TEST_CASE("trusted clients: bad ranges are refused, naming the value", "[headers][trusted]") {
    for (const char* bad : {"10.0.0.0/33",
                            "x",
                            "1.2.3.4/",
                            "::1/129",
                            "",
                            "/8",
                            "1.2.3",
                            "1.2.3.4.5",
                            "256.0.0.1",
                            "1.2.3.4/-1",
                            "1.2.3.4/+8",
                            "1.2.3.4/ 8",
                            " 1.2.3.4",
                            "1.2.3.4/8/8",
                            "1.2.3.4/08x",
                            "::1/1000",
                            "fe80::1%eth0",
                            "1.2.3.4/0x8",
                            "::g",
                            "1:2:3:4:5:6:7:8:9",
                            "0000:0000:0000:0000:0000:0000:0000:0000:0000"}) {
        TrustedClients t;
        const auto err = t.add(bad);
        CAPTURE(bad);
        REQUIRE(err);
        CHECK(err->find(std::string("'") + bad + "'") != std::string::npos);
        CHECK(t.empty());
    }
}

TEST_CASE("trusted clients: client addresses that are not addresses match nothing",
          "[headers][trusted]") {
    const auto t = with({"0.0.0.0/0", "::/0"});
    for (const char* bad :
         {"", "x", "1.2.3.4 ", "1.2.3.4/32", "unix:/tmp/s", "::1%lo", "1.2.3.4:80", "[::1]"}) {
        CAPTURE(bad);
        CHECK_FALSE(t.contains(bad));
    }
    CHECK_FALSE(t.contains(std::string(5000, '1')));
}
