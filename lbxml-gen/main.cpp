// lbxml-gen: creates, checks and converts mod_zdu's loadbalancer.xml and edits the cluster
// description it is generated from. Each command group lives in its own file and registers its
// subcommands here.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "admin_commands.hpp"
#include "apply_command.hpp"
#include "diff_command.hpp"
#include "export_command.hpp"
#include "generate_command.hpp"
#include "rollout_command.hpp"
#include "status_command.hpp"
#include "validate_command.hpp"

namespace {

// Kept in step with project(... VERSION) in the top-level CMakeLists.txt.
constexpr const char* kVersion = "0.1.0";

// CLI11 has one exit code per kind of usage error; callers only need "usage error".
constexpr int kUsageError = 2;

// --help-all is the manual: CLI11 leaves the commands' footers (their examples) out of it, so
// each expanded command gets its footer back, indented like the rest of its entry.
class ManualFormatter : public CLI::Formatter {
  public:
    std::string make_expanded(const CLI::App* sub) const override {
        std::string out = CLI::Formatter::make_expanded(sub);
        const std::string footer = sub->get_footer();
        if (footer.empty()) return out;
        while (!out.empty() && out.back() == '\n') out.pop_back();
        out += "\n  ";
        for (char c : footer) {
            out += c;
            if (c == '\n') out += "  ";
        }
        return out + "\n\n";
    }
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "Creates and checks loadbalancer.xml files for mod_zdu and edits the cluster "
        "description they are generated from",
        "lbxml-gen"};
    app.set_version_flag("--version", std::string("lbxml-gen ") + kVersion);
    // Every command's help and example on one page: the manual, from the same definitions.
    app.formatter(std::make_shared<ManualFormatter>());
    app.set_help_all_flag("--help-all", "Print the help of every command, with examples");
    app.footer("Exit codes: 0 ok, 1 invalid input or refused, 2 usage error.");
    app.require_subcommand(1);

    int exit_code = 0;
    lbxml_gen::add_validate_command(app, exit_code);
    lbxml_gen::add_generate_command(app, exit_code);
    lbxml_gen::add_diff_command(app, exit_code);
    lbxml_gen::add_export_command(app, exit_code);
    lbxml_gen::add_admin_commands(app, exit_code);
    lbxml_gen::add_apply_command(app, exit_code);
    lbxml_gen::add_status_command(app, exit_code);
    lbxml_gen::add_rollout_command(app, exit_code);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : kUsageError;
    }
    return exit_code;
}
