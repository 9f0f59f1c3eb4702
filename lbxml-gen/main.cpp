// lbxml-gen: creates, checks and converts mod_zdu's loadbalancer.xml. Each command group lives in
// its own file and registers its subcommands here.
#include <CLI/CLI.hpp>

#include "apply_command.hpp"
#include "validate_command.hpp"

namespace {

// Kept in step with project(... VERSION) in the top-level CMakeLists.txt.
constexpr const char* kVersion = "0.1.0";

// CLI11 has one exit code per kind of usage error; callers only need "usage error".
constexpr int kUsageError = 2;

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Creates and checks loadbalancer.xml files for mod_zdu", "lbxml-gen"};
    app.set_version_flag("--version", std::string("lbxml-gen ") + kVersion);
    app.require_subcommand(1);

    int exit_code = 0;
    lbxml_gen::add_validate_command(app, exit_code);
    lbxml_gen::add_apply_command(app, exit_code);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : kUsageError;
    }
    return exit_code;
}
