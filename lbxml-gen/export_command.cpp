#include "export_command.hpp"

#include <ctime>
#include <iostream>
#include <memory>

#include "config/writer.hpp"
#include "description/model.hpp"
#include "description_file.hpp"

namespace lbxml_gen {
namespace {

namespace desc = zdu::description;

struct ExportArgs {
    std::string description;
    std::string config;
    std::string lb_name;
    std::string out;
    bool force = false;
};

int run(const ExportArgs& a) {
    desc::Description d;
    try {
        d = desc::load_description(a.description);
    } catch (const desc::DescriptionError& e) {
        for (const auto& diag : e.diagnostics()) std::cerr << diag.text() << '\n';
        return 1;
    }
    std::string config = a.config;
    if (!a.lb_name.empty()) {
        const desc::LoadBalancerDef* lb = desc::find_load_balancer(d, a.lb_name);
        if (lb == nullptr) {
            std::cerr << "lbxml-gen export-http-lb-config: --lbname: no load-balancer named '"
                      << a.lb_name << "' in " << a.description << '\n';
            return 1;
        }
        config = lb->lb_config_name;
    }
    std::string xml;
    try {
        xml = zdu::config::write_xml(desc::generate(d, config), generated_on_now());
    } catch (const desc::GenerateError& e) {
        if (e.diagnostics().empty())
            std::cerr << "lbxml-gen export-http-lb-config: " << e.what() << '\n';
        for (const auto& diag : e.diagnostics()) std::cerr << diag.text() << '\n';
        return 1;
    }
    WriteOptions options;
    options.refuse_existing = !a.force;
    const std::string why = write_file_atomically(a.out, xml, options);
    if (!why.empty()) {
        std::cerr << "lbxml-gen export-http-lb-config: " << why << '\n';
        return 1;
    }
    std::cout << "lb-config '" << config << "' exported to " << a.out << '\n';
    return 0;
}

}  // namespace

std::string generated_on_now() {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char text[64];
    std::strftime(text, sizeof text, "%a %b %d %H:%M:%S UTC %Y", &tm);
    return text;
}

void add_export_command(CLI::App& app, int& exit_code) {
    auto args = std::make_shared<ExportArgs>();
    CLI::App* c = app.add_subcommand("export-http-lb-config",
                                     "Write the loadbalancer.xml of an lb-config to a file");
    c->group("Description commands");
    c->footer(
        "Example:\n  lbxml-gen export-http-lb-config --description cluster.xml --lbname lb1 "
        "/etc/zdu/loadbalancer.xml --force\nAn existing FILE is kept unless --force (then as "
        "FILE.bak).");
    c->add_option("--description", args->description,
                  "The cluster description file (default: $ZDU_CLUSTER_DESCRIPTION)")
        ->envname("ZDU_CLUSTER_DESCRIPTION")
        ->required();
    auto* config = c->add_option("--config", args->config, "The lb-config to export");
    auto* lb = c->add_option("--lbname", args->lb_name, "The load-balancer whose lb-config");
    config->excludes(lb);
    lb->excludes(config);
    c->add_flag("--force", args->force, "Overwrite FILE if it exists");
    c->add_option("FILE", args->out, "Where to write loadbalancer.xml")->required();
    c->callback([args, &exit_code, c] {
        if (args->config.empty() == args->lb_name.empty())
            throw CLI::ValidationError("export-http-lb-config", "give --config or --lbname");
        exit_code = run(*args);
    });
}

}  // namespace lbxml_gen
