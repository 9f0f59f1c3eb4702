#include "validate_command.hpp"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "config/diagnostic.hpp"
#include "config/loader.hpp"

namespace lbxml_gen {
namespace {

// Prints the file's diagnostics to stderr and "FILE: ok" to stdout when it is usable.
bool validate_file(const std::string& path) {
    const auto result = zdu::config::load_file(path);
    for (const auto& d : result.diagnostics) std::cerr << d.text() << '\n';
    if (result.ok()) std::cout << path << ": ok\n";
    return result.ok();
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
    CLI::App* command =
        app.add_subcommand("validate", "Check loadbalancer.xml files against the DTD and rules");
    command->footer(
        "Example:\n  lbxml-gen validate /etc/zdu/loadbalancer.xml\nPrints FILE:LINE: message for "
        "every problem; exit 1 when any file has an error.");
    // Shared with the callback, which CLI11 runs after this function has returned.
    auto files = std::make_shared<std::vector<std::string>>();
    command->add_option("FILE", *files, "loadbalancer.xml files to check")->required();
    command->callback([files, &exit_code] {
        bool all_ok = true;
        for (const auto& path : *files) all_ok = validate_file(path) && all_ok;
        exit_code = all_ok ? 0 : 1;
    });
}

}  // namespace lbxml_gen
