#include <catch2/catch.hpp>
#include <string>

#include "headers/proxy_auth_cert.hpp"

using zdu::headers::proxy_auth_cert;
using zdu::headers::ProxyAuthCert;

namespace {

// A self-signed P-256 certificate, as mod_ssl's SSL_CLIENT_CERT gives it.
const std::string kBody =
    "MIIBijCCATGgAwIBAgIUL8RTcnbu/L6MNF5RSQK3g0FdAA4wCgYIKoZIzj0EAwIw\n"
    "GzEZMBcGA1UEAwwQdW5pdC10ZXN0LWNsaWVudDAeFw0yNjEyMDEwODIwMTFaFw0z\n"
    "NjExMjgwODIwMTFaMBsxGTAXBgNVBAMMEHVuaXQtdGVzdC1jbGllbnQwWTATBgcq\n"
    "hkjOPQIBBggqhkjOPQMBBwNCAATK6SOOZJZKZNxV4wuV/PGMZ0SZj+jqnU2P+I16\n"
    "Kl6Gf1OC/NLI6x+LTqW+1mBKlj5O42PtMBwbzzcrmceOtELfo1MwUTAdBgNVHQ4E\n"
    "FgQUQ6D9iLhAh0xVEnSs+0zYxqh6u1QwHwYDVR0jBBgwFoAUQ6D9iLhAh0xVEnSs\n"
    "+0zYxqh6u1QwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiADvfV5\n"
    "mgKo1zkBBhmjTeUOW6RuIS5iWcLe8p7dD9KlVQIgQXba02jn0JvMBDDsBJR9SnVg\n"
    "7jBnL8QBZ2vogQFFowk=";
const std::string kPem = "-----BEGIN CERTIFICATE-----\n" + kBody + "\n-----END CERTIFICATE-----\n";

// What GlassFish's ProxyHandlerImpl does with the header before parsing it.
std::string as_glassfish_reads(std::string value) {
    for (std::size_t at; (at = value.find("% d% a")) != std::string::npos;) {
        value.replace(at, 6, "\n");
    }
    return "-----BEGIN CERTIFICATE-----\n" + value + "\n-----END CERTIFICATE-----";
}

}  // namespace

TEST_CASE("Proxy-auth-cert: body without markers, breaks as % d% a", "[headers]") {
    std::string value = proxy_auth_cert(kPem);
    CHECK(value.find("BEGIN") == std::string::npos);
    CHECK(value.find('\n') == std::string::npos);
    CHECK(value.rfind("MIIBijCCATGg", 0) == 0);
    CHECK(value.find("AiADvfV5% d% amgKo1zk") != std::string::npos);
    CHECK(value.substr(value.size() - 6) == "FFowk=");
    CHECK(as_glassfish_reads(value) + "\n" == kPem);
}

TEST_CASE("Proxy-auth-cert: CRLF and trailing text are accepted", "[headers]") {
    std::string crlf = kPem;
    for (std::size_t at = 0; (at = crlf.find('\n', at)) != std::string::npos; at += 2) {
        crlf.insert(at, "\r");
    }
    CHECK(proxy_auth_cert(crlf) == proxy_auth_cert(kPem));
    CHECK(proxy_auth_cert("junk\n" + kPem + kPem) == proxy_auth_cert(kPem));
}

TEST_CASE("Proxy-auth-cert: size and write agree", "[headers]") {
    ProxyAuthCert cert(kPem);
    REQUIRE(cert.valid());
    std::string out(cert.size() + 1, '#');
    cert.write(out.data());
    CHECK(out.back() == '#');  // nothing past size()
    out.pop_back();
    CHECK(out == proxy_auth_cert(kPem));
}

TEST_CASE("Proxy-auth-cert: nothing for text that is no certificate", "[headers]") {
    CHECK_FALSE(ProxyAuthCert("").valid());
    CHECK_FALSE(ProxyAuthCert("forged").valid());
    CHECK_FALSE(ProxyAuthCert("-----BEGIN CERTIFICATE-----\nMIIB\n").valid());
    CHECK_FALSE(ProxyAuthCert("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----").valid());
    // Anything outside base64 could smuggle text into the header.
    CHECK_FALSE(
        ProxyAuthCert("-----BEGIN CERTIFICATE-----\nMII:x\n-----END CERTIFICATE-----").valid());
    CHECK(proxy_auth_cert("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----").empty());
}
