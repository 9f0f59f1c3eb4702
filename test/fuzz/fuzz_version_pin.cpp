// The version pin cookie check: no value a client makes up passes verify_pin unless it is the
// signature sign_pin would have made, and every pin sign_pin makes passes (until it expires).
// Input: "<cluster>\n<version>\n<ZDU_PIN value>"; times come from the input's length.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "sessions/version_pin.hpp"

using namespace zdu;
using zdu::fuzz::within;

namespace {

const sessions::PinKeys kKeys{"current-key-0123456789", "previous-key-9876543210"};
// A realistic clock (2024): the glue passes the wall clock, never a client's number.
constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::int64_t kMaxAge = 30 * 24 * 3600;

bool version_text(std::string_view v) {
    if (v.empty() || v.size() > 64) return false;
    for (char c : v) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

// Whatever a client sends: accepted only when it is exactly a pin signed with one of the keys.
void check_forged(std::string_view cluster, std::string_view value) {
    const auto version = sessions::verify_pin(kKeys, cluster, value, kNow, kMaxAge);
    if (!version) return;
    ZDU_FUZZ_CHECK(within(*version, value) && version->data() == value.data());
    const std::string_view rest = value.substr(version->size() + 1);
    const std::int64_t issued = std::stoll(std::string(rest.substr(0, rest.find('.'))));
    const sessions::PinKeys previous{kKeys.previous, {}};
    ZDU_FUZZ_CHECK(sessions::sign_pin(kKeys, cluster, *version, issued) == value ||
                   sessions::sign_pin(previous, cluster, *version, issued) == value);
}

void check_round_trip(std::string_view cluster, std::string_view version, std::size_t size) {
    if (!version_text(version)) return;
    const std::int64_t issued = kNow - static_cast<std::int64_t>(size * 9973 % kMaxAge);
    const std::string pin = sessions::sign_pin(kKeys, cluster, version, issued);
    const auto back = sessions::verify_pin(kKeys, cluster, pin, kNow, kMaxAge);
    ZDU_FUZZ_CHECK(back && *back == version);
    // Signed by the previous key: still accepted while the key rotates.
    const std::string old = sessions::sign_pin({kKeys.previous, {}}, cluster, version, issued);
    ZDU_FUZZ_CHECK(sessions::verify_pin(kKeys, cluster, old, kNow, kMaxAge));
    // Another cluster, a changed signature or an expired pin: refused.
    const std::string other = std::string(cluster) + "x";
    ZDU_FUZZ_CHECK(!sessions::verify_pin(kKeys, other, pin, kNow, kMaxAge));
    std::string tampered = pin;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    ZDU_FUZZ_CHECK(!sessions::verify_pin(kKeys, cluster, tampered, kNow, kMaxAge));
    ZDU_FUZZ_CHECK(!sessions::verify_pin(kKeys, cluster, pin, issued + kMaxAge + 1, kMaxAge));
    ZDU_FUZZ_CHECK(!sessions::verify_pin({"another-key", {}}, cluster, pin, kNow, kMaxAge));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view in = fuzz::as_text(data, size);
    const std::string_view cluster = fuzz::next_field(in);
    const std::string_view version = fuzz::next_field(in);
    check_forged(cluster, in);
    check_round_trip(cluster, version, size);
    return 0;
}
