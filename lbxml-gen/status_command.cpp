#include "status_command.hpp"

#include <chrono>
#include <csignal>
#include <iostream>
#include <memory>
#include <thread>

#include "apply_command.hpp"
#include "description/model.hpp"
#include "front_end_push.hpp"

namespace lbxml_gen {
namespace {

struct StatusArgs {
    std::vector<std::string> targets;  // LB_NAME with --description, else URLs
    std::string description;
    std::string secret_file;
    bool json = false;
    double watch_s = 0;  // 0: print once
    bool shared_sessions = false;
    std::string ca_file;
};

volatile std::sig_atomic_t g_interrupted = 0;

extern "C" void on_status_interrupt(int) {
    g_interrupted = 1;
}

std::string beside(const std::string& description, const std::string& file) {
    if (file.empty() || file.front() == '/') return file;
    const auto slash = description.rfind('/');
    return slash == std::string::npos ? file : description.substr(0, slash + 1) + file;
}

// The status once: printed, and whether every front-end could be read.
bool print_once(const StatusArgs& a, const LbTarget& target, Transport& transport) {
    const auto merged =
        merge_status(read_statuses(target.urls, target.secret, transport),
                     a.shared_sessions ? SessionCount::Shared : SessionCount::PerFrontEnd);
    std::cout << (a.json ? format_status_json(merged) : format_status_table(merged));
    std::cout.flush();
    for (const auto& fe : merged.front_ends)
        if (!fe.read) std::cerr << "lbxml-gen status: " << fe.url << ": " << fe.error << '\n';
    return merged.all_read;
}

int run(const StatusArgs& a) {
    LbTarget target;
    try {
        if (!a.description.empty()) {
            if (a.targets.size() != 1) {
                std::cerr << "lbxml-gen status: with --description, name one load-balancer\n";
                return 2;
            }
            target = load_lb_target(a.description, a.targets.front());
        } else {
            target.urls = a.targets;
        }
        if (!a.secret_file.empty()) target.secret = read_secret_file(a.secret_file);
    } catch (const zdu::description::DescriptionError& e) {
        for (const auto& diag : e.diagnostics()) std::cerr << diag.text() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "lbxml-gen status: " << e.what() << '\n';
        return 1;
    }
    HttpClientOptions http;
    http.timeout_ms = 10000;
    http.ca_file = a.ca_file;
    CurlTransport transport(http);
    if (a.watch_s <= 0) return print_once(a, target, transport) ? 0 : 1;

    std::signal(SIGINT, on_status_interrupt);
    bool all_read = true;
    while (!g_interrupted) {
        std::cout << "\033[H\033[2J";  // home and clear: the view is redrawn in place
        all_read = print_once(a, target, transport);
        const auto until = std::chrono::steady_clock::now() +
                           std::chrono::milliseconds(static_cast<long>(a.watch_s * 1000));
        while (!g_interrupted && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return all_read ? 0 : 1;
}

}  // namespace

LbTarget load_lb_target(const std::string& path, const std::string& lb_name) {
    const auto d = zdu::description::load_description(path);
    const auto* lb = zdu::description::find_load_balancer(d, lb_name);
    if (!lb) throw std::runtime_error(path + ": no load-balancer named \"" + lb_name + "\"");
    if (lb->front_ends.empty())
        throw std::runtime_error(path + ": load-balancer \"" + lb_name + "\" has no front-end");
    LbTarget t;
    for (const auto& fe : lb->front_ends) t.urls.push_back(fe.url);
    t.secret = read_secret_file(beside(path, lb->secret_file));
    t.lb_config_name = lb->lb_config_name;
    return t;
}

std::vector<FrontEndReading> read_statuses(const std::vector<std::string>& urls,
                                           const std::string& secret, Transport& transport) {
    std::vector<FrontEndReading> out;
    for (const auto& url : urls) {
        HttpRequest request;
        request.method = "GET";
        // A URL that already asks something (zdu-status?json) is read as given.
        request.url = url.find('?') == std::string::npos ? command_url(url, "cmd=status") : url;
        if (!secret.empty()) request.headers.emplace_back("X-Zdu-Secret", secret);
        const HttpResult r = transport.send(request);
        if (!r.reached) {
            FrontEndReading fe;
            fe.url = url;
            fe.error = "unreachable: " + r.error;
            out.push_back(fe);
            continue;
        }
        FrontEndReading fe = read_front_end_status(url, r.body);
        if (!fe.read && r.status != 200)
            fe.error = "HTTP " + std::to_string(r.status) + ", " + fe.error;
        out.push_back(fe);
    }
    return out;
}

void add_status_command(CLI::App& app, int& exit_code) {
    CLI::App* command = app.add_subcommand(
        "status",
        "Read every front-end's status and print one merged view per cluster and instance");
    auto args = std::make_shared<StatusArgs>();
    command
        ->add_option("TARGET", args->targets,
                     "A load-balancer of --description, or front-end URLs (manager URLs, or "
                     "zdu-status URLs with ?json)")
        ->required();
    command->add_option("--description", args->description,
                        "The cluster description naming the load-balancer's front-ends and "
                        "secret");
    command->add_option("--secret-file", args->secret_file,
                        "The manager secret for URLs given directly");
    command->add_flag("--json", args->json, "Print one merged JSON document");
    // --watch alone redraws every 2 s; CLI11 leaves the text empty then.
    auto watch_text = std::make_shared<std::string>();
    CLI::Option* watch =
        command->add_option("--watch", *watch_text, "Redraw every SECONDS (default 2) until Ctrl-C")
            ->expected(0, 1);
    command->add_flag("--shared-sessions", args->shared_sessions,
                      "The front-ends share one session store: each reports the global count, "
                      "so sessions are not summed");
    command->add_option("--cacert", args->ca_file,
                        "CA certificates for https URLs (default: the system's)");
    command->footer(
        "Examples:\n"
        "  lbxml-gen status --description cluster.xml lb1\n"
        "  lbxml-gen status --watch 2 http://fe1/zdu-status?json http://fe2/zdu-status?json\n"
        "Sessions are summed over front-ends (each tracks its own); every front-end's config\n"
        "hash is listed and one that differs from the others is flagged MIXED. The exit code\n"
        "is 1 when a front-end could not be read (the others are still printed).");
    command->callback([args, watch, watch_text, &exit_code] {
        if (watch->count() > 0) {
            args->watch_s = 2;
            if (!watch_text->empty() && (!CLI::detail::lexical_cast(*watch_text, args->watch_s) ||
                                         !(args->watch_s > 0) || args->watch_s > 86400)) {
                std::cerr << "lbxml-gen status: --watch: SECONDS in (0, 86400], got " << *watch_text
                          << '\n';
                exit_code = 2;
                return;
            }
        }
        exit_code = run(*args);
    });
}

}  // namespace lbxml_gen
