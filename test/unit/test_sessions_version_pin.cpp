#include <catch2/catch.hpp>
#include <string>

#include "sessions/version_pin.hpp"

using zdu::sessions::PinKeys;
using zdu::sessions::sign_pin;
using zdu::sessions::verify_pin;

namespace {

const PinKeys kKeys{"current-secret-key", ""};
constexpr std::int64_t kNow = 1'800'000'000;
constexpr std::int64_t kMonth = 30 * 24 * 3600;

// The value with the character at `at` replaced by another of the same class (digit by digit,
// otherwise by a letter), so only the signature check can reject the result.
std::string flip(std::string v, std::size_t at) {
    char& c = v[at];
    if (c >= '0' && c <= '9') {
        c = c == '9' ? '8' : static_cast<char>(c + 1);
    } else {
        c = c == 'A' ? 'B' : 'A';
    }
    return v;
}

}  // namespace

TEST_CASE("version pin: round trip names the version", "[sessions][pin]") {
    for (const char* version : {"2.0", "1.10.3-rc_1", "v2", ""}) {
        const std::string pin = sign_pin(kKeys, "shop", version, kNow - 10);
        CAPTURE(pin);
        REQUIRE(!pin.empty());
        const auto got = verify_pin(kKeys, "shop", pin, kNow, kMonth);
        REQUIRE(got);
        CHECK(*got == version);
        // The view points into the cookie value, no copy.
        CHECK(got->data() == pin.data());
    }
}

TEST_CASE("version pin: value shape is version.issued.base64url without padding",
          "[sessions][pin]") {
    const std::string pin = sign_pin(kKeys, "shop", "2.0", 1234);
    REQUIRE(pin.rfind("2.0.1234.", 0) == 0);
    const std::string sig = pin.substr(9);
    CHECK(sig.size() == 43);
    CHECK(
        sig.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
}

TEST_CASE("version pin: another cluster's pin is rejected", "[sessions][pin]") {
    const std::string pin = sign_pin(kKeys, "shop", "2.0", kNow);
    CHECK_FALSE(verify_pin(kKeys, "shop2", pin, kNow, kMonth));
    CHECK_FALSE(verify_pin(kKeys, "sho", pin, kNow, kMonth));
    CHECK_FALSE(verify_pin(kKeys, "", pin, kNow, kMonth));
}

TEST_CASE("version pin: tampering with any field is rejected", "[sessions][pin]") {
    const std::string pin = sign_pin(kKeys, "shop", "1.9", kNow - 100);
    REQUIRE(verify_pin(kKeys, "shop", pin, kNow, kMonth));
    // Another version with the same time and signature.
    CHECK_FALSE(verify_pin(kKeys, "shop", "2.0" + pin.substr(3), kNow, kMonth));
    CHECK_FALSE(verify_pin(kKeys, "shop", "1.99" + pin.substr(3), kNow, kMonth));
    // Another issued time (one digit changed).
    const auto time_at = pin.find('.', 4) - 1;
    CHECK_FALSE(verify_pin(kKeys, "shop", flip(pin, time_at), kNow, kMonth));
    // Same time written with a leading zero: not the signed text.
    CHECK_FALSE(verify_pin(kKeys, "shop", "1.9.0" + pin.substr(4), kNow, kMonth));
    // Each signature character.
    const auto sig_at = pin.rfind('.') + 1;
    for (std::size_t i = sig_at; i < pin.size(); ++i) {
        CAPTURE(i);
        CHECK_FALSE(verify_pin(kKeys, "shop", flip(pin, i), kNow, kMonth));
    }
    // Truncated or extended signature.
    CHECK_FALSE(verify_pin(kKeys, "shop", pin.substr(0, pin.size() - 1), kNow, kMonth));
    CHECK_FALSE(verify_pin(kKeys, "shop", pin + "A", kNow, kMonth));
    // Signed with another key.
    const std::string forged = sign_pin(PinKeys{"attacker", ""}, "shop", "1.9", kNow - 100);
    CHECK_FALSE(verify_pin(kKeys, "shop", forged, kNow, kMonth));
}

TEST_CASE("version pin: key rotation", "[sessions][pin]") {
    const PinKeys old_keys{"old-key", ""};
    const PinKeys rotated{"new-key", "old-key"};
    const std::string old_pin = sign_pin(old_keys, "shop", "2.0", kNow);
    const auto got = verify_pin(rotated, "shop", old_pin, kNow, kMonth);
    REQUIRE(got);
    CHECK(*got == "2.0");
    // New pins are signed with the current key only.
    const std::string new_pin = sign_pin(rotated, "shop", "2.0", kNow);
    CHECK(verify_pin(PinKeys{"new-key", ""}, "shop", new_pin, kNow, kMonth));
    CHECK_FALSE(verify_pin(old_keys, "shop", new_pin, kNow, kMonth));
    // Once the previous key is dropped, its pins are gone.
    CHECK_FALSE(verify_pin(PinKeys{"new-key", ""}, "shop", old_pin, kNow, kMonth));
    // A key neither current nor previous.
    const std::string unknown = sign_pin(PinKeys{"third-key", ""}, "shop", "2.0", kNow);
    CHECK_FALSE(verify_pin(rotated, "shop", unknown, kNow, kMonth));
}

TEST_CASE("version pin: age limits", "[sessions][pin]") {
    const std::string pin = sign_pin(kKeys, "shop", "2.0", kNow);
    CHECK(verify_pin(kKeys, "shop", pin, kNow + kMonth, kMonth));
    CHECK_FALSE(verify_pin(kKeys, "shop", pin, kNow + kMonth + 1, kMonth));
    // Slightly ahead is clock drift between front-ends; far ahead is not a pin anyone issued.
    CHECK(verify_pin(kKeys, "shop", pin, kNow - 60, kMonth));
    CHECK_FALSE(verify_pin(kKeys, "shop", pin, kNow - 61, kMonth));
    const std::string future = sign_pin(kKeys, "shop", "2.0", kNow + 3600);
    CHECK_FALSE(verify_pin(kKeys, "shop", future, kNow, kMonth));
}

TEST_CASE("version pin: empty, garbage and huge values are rejected", "[sessions][pin]") {
    const std::string pin = sign_pin(kKeys, "shop", "2.0", kNow);
    const std::string sig = pin.substr(pin.rfind('.') + 1);
    for (const std::string& bad : {
             std::string(),
             std::string("."),
             std::string(".."),
             std::string("..."),
             std::string("garbage"),
             std::string("2.0"),
             std::string("2.0.") + sig,
             std::string("2.0..") + sig,
             std::string(".") + std::to_string(kNow) + "." + sig,
             std::string("2.0.12a4.") + sig,
             std::string("2.0.-5.") + sig,
             std::string("2.0.+1800000000.") + sig,
             std::string("2 0.1800000000.") + sig,
             std::string("2.0;x.1800000000.") + sig,
             std::string("2.0.99999999999999999999.") + sig,
             std::string(1000, 'A'),
             std::string(300, '.'),
             pin + std::string(1, '\0'),
             std::string(200, '1') + "." + std::to_string(kNow) + "." + sig,
         }) {
        CAPTURE(bad);
        CHECK_FALSE(verify_pin(kKeys, "shop", bad, kNow, kMonth));
    }
}

TEST_CASE("version pin: off without a current key", "[sessions][pin]") {
    const PinKeys none{};
    CHECK_FALSE(none.enabled());
    CHECK(sign_pin(none, "shop", "2.0", kNow).empty());
    const std::string pin = sign_pin(kKeys, "shop", "2.0", kNow);
    CHECK_FALSE(verify_pin(none, "shop", pin, kNow, kMonth));
    // A previous key alone does not turn verification on.
    CHECK_FALSE(verify_pin(PinKeys{"", kKeys.current}, "shop", pin, kNow, kMonth));
}
