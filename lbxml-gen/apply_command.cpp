#include "apply_command.hpp"

#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "config/writer.hpp"
#include "description/model.hpp"
#include "export_command.hpp"
#include "front_end_push.hpp"
#include "http_client.hpp"

namespace lbxml_gen {
namespace {

// Seconds in (0, 86400]. CLI11's Range lets NaN through (no comparison with it is true), and
// NaN or a huge value would make the cast to milliseconds undefined.
CLI::Validator timeout_range() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            double seconds = 0;
            if (!CLI::detail::lexical_cast(text, seconds) || !std::isfinite(seconds) ||
                seconds <= 0 || seconds > 86400) {
                return "SECONDS must be more than 0 and at most 86400: " + text;
            }
            return {};
        },
        "SECONDS in (0, 86400]");
}

struct ApplyArgs {
    std::string description;
    std::string lb_name;
    std::string xml_file;
    bool ping = false;
    bool reset_overrides = false;
    double timeout_seconds = 60;
    std::string ca_file;
};

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error(path + ": cannot be read");
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A relative secret-file is taken from the description's directory, so the description and its
// secret can move together and the command works from any directory.
std::string beside(const std::string& description, const std::string& file) {
    if (file.empty() || file.front() == '/') return file;
    const auto slash = description.rfind('/');
    return slash == std::string::npos ? file : description.substr(0, slash + 1) + file;
}

int run(const ApplyArgs& a) {
    std::vector<std::string> urls;
    std::string xml;
    std::string secret;
    try {
        const auto d = zdu::description::load_description(a.description);
        const auto* lb = zdu::description::find_load_balancer(d, a.lb_name);
        if (!lb) {
            std::cerr << a.description << ": no load-balancer named \"" << a.lb_name << "\"\n";
            return 1;
        }
        if (lb->front_ends.empty()) {
            std::cerr << a.description << ':' << lb->line << ": load-balancer \"" << a.lb_name
                      << "\" has no front-end\n";
            return 1;
        }
        for (const auto& fe : lb->front_ends) urls.push_back(fe.url);
        xml = a.xml_file.empty()
                  ? zdu::config::write_xml(zdu::description::generate(d, lb->lb_config_name),
                                           generated_on_now())
                  : read_file(a.xml_file);
        secret = read_secret_file(beside(a.description, lb->secret_file));
    } catch (const zdu::description::DescriptionError& e) {
        for (const auto& diag : e.diagnostics()) std::cerr << diag.text() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }

    HttpClientOptions http;
    // Rounded up: the range check keeps it finite and within a day, so the cast is defined.
    http.timeout_ms = static_cast<long>(std::ceil(a.timeout_seconds * 1000));
    http.ca_file = a.ca_file;
    CurlTransport transport(http);
    const auto report =
        apply(xml, urls, secret, ApplyOptions{a.ping, a.reset_overrides}, transport);
    const std::string text = format_report(report);
    (report.all_applied() ? std::cout : std::cerr) << text;
    return report.all_applied() ? 0 : 1;
}

}  // namespace

std::string read_secret_file(const std::string& path) {
    if (path.empty()) throw std::runtime_error("the load-balancer names no secret-file");
    std::string secret = read_file(path);
    // Files written by `echo` or an editor end with a line end that is not part of the secret.
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    if (secret.empty()) throw std::runtime_error(path + ": the secret file is empty");
    if (secret.find_first_of("\r\n") != std::string::npos)
        throw std::runtime_error(path + ": the secret must be a single line");
    return secret;
}

void add_apply_command(CLI::App& app, int& exit_code) {
    CLI::App* command = app.add_subcommand(
        "apply-http-lb-changes",
        "Push the load balancer's loadbalancer.xml to every front-end: all validate it first, "
        "then all commit, or none does");
    // Shared with the callback, which CLI11 runs after this function has returned.
    auto args = std::make_shared<ApplyArgs>();
    command->add_option("--description", args->description, "The cluster description file")
        ->required();
    command->add_option("LB_NAME", args->lb_name, "The load-balancer whose front-ends get it")
        ->required();
    command->add_flag("--ping", args->ping,
                      "First check that every front-end's manager answers; push nowhere if not");
    command->add_flag("--reset-overrides", args->reset_overrides,
                      "Clear admin states set through the manager, so the xml decides again");
    command->add_option("--xml", args->xml_file,
                        "Push this loadbalancer.xml instead of generating it from the "
                        "load-balancer's lb-config");
    command
        ->add_option("--timeout", args->timeout_seconds,
                     "Seconds to wait for each front-end's answer (a commit answers once every "
                     "httpd child switched)")
        ->capture_default_str()
        ->check(timeout_range());
    command->add_option("--cacert", args->ca_file,
                        "CA certificates for https manager URLs (default: the system's)");
    command->footer(
        "Example:\n"
        "  lbxml-gen apply-http-lb-changes --ping --description cluster.xml lb1\n"
        "Each front-end is reported applied, unchanged (it already runs this content: not\n"
        "committed, nothing reloaded), refused (why), unreachable, or unknown (the commit was\n"
        "sent and no answer of the manager came, e.g. a proxy's 504; its status decides when\n"
        "it can be read). The exit code is 0 only when every front-end is applied or\n"
        "unchanged. Admin states set through a\n"
        "front-end's manager are kept and listed; --reset-overrides clears them, on unchanged\n"
        "front-ends too.");
    command->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace lbxml_gen
