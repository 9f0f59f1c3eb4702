#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "lifecycle/drained_command.hpp"

using zdu::lifecycle::DrainedCommand;
using Argv = std::vector<std::string>;

namespace {

DrainedCommand must_parse(std::string_view text) {
    std::string error;
    auto cmd = DrainedCommand::parse(text, error);
    INFO(text << ": " << error);
    REQUIRE(cmd);
    CHECK(error.empty());
    return *cmd;
}

std::string parse_error(std::string_view text) {
    std::string error;
    const auto cmd = DrainedCommand::parse(text, error);
    CHECK_FALSE(cmd);
    CHECK_FALSE(error.empty());
    return error;
}

}  // namespace

TEST_CASE("drained command: placeholders expand per instance", "[lifecycle][drained-command]") {
    const auto cmd = must_parse("/usr/local/bin/stop-instance %c %i %v");
    CHECK(cmd.argv("shop", "app1", "1.9") ==
          Argv{"/usr/local/bin/stop-instance", "shop", "app1", "1.9"});
    CHECK(cmd.argv("other", "app2", "") ==
          Argv{"/usr/local/bin/stop-instance", "other", "app2", ""});
}

TEST_CASE("drained command: placeholders inside words and %%", "[lifecycle][drained-command]") {
    const auto cmd = must_parse("/bin/notify --target=%c/%i@%v 100%% %%c %%%v");
    CHECK(cmd.argv("shop", "app1", "2.0") ==
          Argv{"/bin/notify", "--target=shop/app1@2.0", "100%", "%c", "%2.0"});
    // Values are inserted verbatim: a % or a space in a name is not expanded again or split.
    CHECK(cmd.argv("a%i b", "x", "y") ==
          Argv{"/bin/notify", "--target=a%i b/x@y", "100%", "%c", "%y"});
}

TEST_CASE("drained command: whitespace and double quotes", "[lifecycle][drained-command]") {
    CHECK(must_parse("  /bin/a\t b   c  ").argv("", "", "") == Argv{"/bin/a", "b", "c"});
    CHECK(must_parse("/bin/a \"two words\" \"\" x\"y z\"w").argv("", "", "") ==
          Argv{"/bin/a", "two words", "", "xy zw"});
    CHECK(must_parse("/bin/a \"say \\\"%i\\\" \\\\ done\"").argv("c", "app1", "v") ==
          Argv{"/bin/a", "say \"app1\" \\ done"});
    // Outside quotes a backslash is an ordinary character.
    CHECK(must_parse("/bin/a b\\c").argv("", "", "") == Argv{"/bin/a", "b\\c"});
    CHECK(must_parse("\"/opt/my tools/stop\" %i").argv("c", "app1", "v") ==
          Argv{"/opt/my tools/stop", "app1"});
}

TEST_CASE("drained command: unknown placeholders are refused", "[lifecycle][drained-command]") {
    CHECK(parse_error("/bin/a %x").find("%x") != std::string::npos);
    CHECK(parse_error("/bin/a --at=%C").find("--at=%C") != std::string::npos);
    CHECK(parse_error("/bin/a 100%").find("100%") != std::string::npos);
    CHECK(parse_error("/bin/a \"%i %q\"").find("%q") != std::string::npos);
}

TEST_CASE("drained command: the program must be a fixed absolute path",
          "[lifecycle][drained-command]") {
    CHECK(parse_error("stop-instance %c").find("'stop-instance'") != std::string::npos);
    CHECK(parse_error("./stop %c").find("'./stop'") != std::string::npos);
    CHECK(parse_error("bin/stop").find("'bin/stop'") != std::string::npos);
    CHECK(parse_error("\"\" %c").find("absolute") != std::string::npos);
    // No instance's name may choose the program.
    CHECK(parse_error("/opt/%c/stop").find("/opt/%c/stop") != std::string::npos);
    CHECK(must_parse("/opt/100%%/stop").argv("", "", "") == Argv{"/opt/100%/stop"});
}

TEST_CASE("drained command: empty and unclosed", "[lifecycle][drained-command]") {
    CHECK(parse_error("").find("empty") != std::string::npos);
    CHECK(parse_error("   \t ").find("empty") != std::string::npos);
    CHECK(parse_error("/bin/a \"open").find("unclosed") != std::string::npos);
    CHECK(parse_error("/bin/a \"ends in escape\\\"").find("unclosed") != std::string::npos);
}
