// The path forwarded under AllowEncodedSlashes NoDecode, from r->uri as httpd decoded it.
#include <catch2/catch.hpp>
#include <cctype>
#include <string>
#include <string_view>

#include "routing/path_encoding.hpp"

using zdu::routing::encode_path_keeping_encoded_slashes;

TEST_CASE("NoDecode: an encoded slash stays, a literal percent sign becomes %25", "[routing]") {
    CHECK(encode_path_keeping_encoded_slashes("/app/a%2Fb/c%2fd") == "/app/a%2Fb/c%2fd");
    CHECK(encode_path_keeping_encoded_slashes("/app/100%") == "/app/100%25");
    CHECK(encode_path_keeping_encoded_slashes("/app/100%done") == "/app/100%25done");
    CHECK(encode_path_keeping_encoded_slashes("/app/%%2F%") == "/app/%25%2F%25");
    CHECK(encode_path_keeping_encoded_slashes("/app/%2") == "/app/%252");
    CHECK(encode_path_keeping_encoded_slashes("/app/%41") == "/app/%2541");  // from "%2541"
}

TEST_CASE("NoDecode: other bytes are encoded as mod_proxy encodes a path", "[routing]") {
    CHECK(encode_path_keeping_encoded_slashes("/app/a b") == "/app/a%20b");
    CHECK(encode_path_keeping_encoded_slashes("/app/x;jsessionid=a:b/~$-_.+!*'(),@&=") ==
          "/app/x;jsessionid=a:b/~$-_.+!*'(),@&=");
    CHECK(encode_path_keeping_encoded_slashes("/app/\xc3\xa9?#\"<>\\") ==
          "/app/%C3%A9%3F%23%22%3C%3E%5C");
    CHECK(encode_path_keeping_encoded_slashes("") == "");
}

// mod_proxy's ap_proxy_canonenc_ex(enc_path): '/', letters, digits and these stay as they are.
static bool canonenc_keeps(unsigned char c) {
    return c == '/' || std::isalnum(c) ||
           std::string_view("~$-_.+!*'(),;:@&=").find(c) != std::string_view::npos;
}

TEST_CASE("a plain path is exactly one that encodes to itself", "[routing]") {
    for (int c = 1; c < 256; ++c) {
        const std::string one(1, static_cast<char>(c));
        INFO("byte " << c);
        CHECK(zdu::routing::path_is_plain(one) == canonenc_keeps(static_cast<unsigned char>(c)));
        CHECK(zdu::routing::path_is_plain(one) ==
              (zdu::routing::encode_path_keeping_encoded_slashes(one) == one));
    }
    CHECK(zdu::routing::path_is_plain("/app/page;jsessionid=ABC.r1"));
    CHECK(zdu::routing::path_is_plain(""));
    CHECK_FALSE(zdu::routing::path_is_plain("/app/a b"));
    CHECK_FALSE(zdu::routing::path_is_plain("/app/%2F"));  // an encoded slash takes the slow path
    CHECK_FALSE(zdu::routing::path_is_plain(std::string("/app/\0x", 7)));
}
