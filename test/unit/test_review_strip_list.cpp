// The strip list edits r->headers_in in translate_name, before httpd reads the request body:
// a framing header taken off there would make httpd read the body wrongly (what is left of it
// on the connection becomes the next request), and Host is what mod_proxy forwards to.
#include <catch2/catch.hpp>
#include <string>

#include "headers/strip_list.hpp"

using zdu::headers::StripList;

TEST_CASE("ZduStripClientHeaders refuses the headers that frame the request", "[headers]") {
    StripList list;
    for (const char* name : {"Transfer-Encoding", "content-length", "HOST"}) {
        const std::string error = list.apply(name);
        CHECK(error.find(name) != std::string::npos);
        CHECK(error.find("frames the request") != std::string::npos);
        CHECK_FALSE(list.strips(name));
    }
    // Taking one off the list is harmless (it is never on it).
    CHECK(list.apply("-Content-Length").empty());
    CHECK(list.apply("X-Forwarded-Host").empty());
}
