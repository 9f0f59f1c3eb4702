// A logout URL reaches the servlet whatever ";params" its segments carry: the logout-url-pattern
// must see the path the container maps.
#include <catch2/catch.hpp>
#include <string>

#include "routing/retry_policy.hpp"
#include "routing/url_pattern_list.hpp"

using zdu::routing::path_in_module;
using zdu::routing::UrlPatternList;
using zdu::routing::without_path_params;

namespace {

bool logout(const UrlPatternList& list, const std::string& uri, std::string_view root) {
    std::string buffer(uri.size(), '\0');
    return list.matches(path_in_module(without_path_params(uri, buffer.data()), root));
}

}  // namespace

TEST_CASE("logout-url-pattern sees the path without any segment's params", "[review11]") {
    UrlPatternList list("/account/logout *.bye");
    CHECK(logout(list, "/app/account/logout", "/app"));
    CHECK(logout(list, "/app/account/logout;jsessionid=ABC", "/app"));
    CHECK(logout(list, "/app/account;v=1/logout", "/app"));
    CHECK(logout(list, "/app;jsessionid=ABC/account/logout", "/app"));
    CHECK(logout(list, "/app/x;a=b/see.bye;c", "/app"));
    CHECK(logout(list, "/account;x/logout", "/"));
    CHECK_FALSE(logout(list, "/app/account/logout2;x", "/app"));
    CHECK_FALSE(logout(list, "/app/account;/logoutx", "/app"));
}

TEST_CASE("a path without params is not copied", "[review11]") {
    std::string uri = "/app/account/logout";
    char buffer[1];
    CHECK(without_path_params(uri, buffer).data() == uri.data());
}
