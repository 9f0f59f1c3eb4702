#include <catch2/catch.hpp>

#include "manager/secret.hpp"

using namespace zdu::manager;

TEST_CASE("secrets compare equal only when identical", "[manager]") {
    CHECK(constant_time_equal("s3cret", "s3cret"));
    CHECK_FALSE(constant_time_equal("s3creT", "s3cret"));
    CHECK_FALSE(constant_time_equal("s3cre", "s3cret"));
    CHECK_FALSE(constant_time_equal("s3crett", "s3cret"));
    CHECK_FALSE(constant_time_equal("", "s3cret"));
    CHECK_FALSE(constant_time_equal(std::string_view("s3cret\0", 7), "s3cret"));
    // A guess padded with NULs must not pass for a shorter secret.
    CHECK_FALSE(constant_time_equal(std::string_view("ab\0", 3), "ab"));
}

TEST_CASE("access needs a configured and presented secret", "[manager]") {
    CHECK(check_access("", "anything") == Access::NotConfigured);
    CHECK(check_access("", nullptr) == Access::NotConfigured);
    CHECK(check_access("s3cret", nullptr) == Access::Missing);
    CHECK(check_access("s3cret", "") == Access::Wrong);
    CHECK(check_access("s3cret", "guess") == Access::Wrong);
    CHECK(check_access("s3cret", "s3cret") == Access::Granted);
    CHECK_THAT(std::string(refusal_text(Access::NotConfigured)), Catch::Contains("not configured"));
    CHECK_THAT(std::string(refusal_text(Access::Wrong)), !Catch::Contains("s3cret"));
}
