#include "rollout_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include "admin_commands.hpp"
#include "config/listener_parser.hpp"
#include "config/writer.hpp"
#include "description/model.hpp"
#include "description_file.hpp"
#include "export_command.hpp"
#include "front_end_push.hpp"
#include "rollout_plan.hpp"
#include "status_command.hpp"

namespace lbxml_gen {
namespace {

namespace desc = zdu::description;
using desc::EditResult;
using Clock = std::chrono::steady_clock;

constexpr int kInterruptedExit = 130;  // as a shell reports a command ended by SIGINT
constexpr double kHealthyTimeoutS = 120;
constexpr auto kPoll = std::chrono::milliseconds(500);
constexpr const char* kRolledBack = "rolled back";

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_rollout_interrupt(int) {
    g_interrupted = 1;
}

struct RolloutArgs {
    std::string description;
    std::string lb_name;
    RolloutParams params;
    std::string add_text;
    std::string canary_text;
    bool dry_run = false;
    bool resume = false;
    bool rollback = false;
};

// A step that did not finish: why, and whether it was Ctrl-C (resume) or a failure.
struct StepStop {
    std::string why;
    bool interrupted = false;
};

// Several edits as one: all or none (edit_description_file writes only when all succeeded).
struct EditBatch {
    std::ostringstream done;
    bool add(const EditResult& r, EditResult& failed) {
        if (!r.ok()) {
            failed = r;
            return false;
        }
        done << (done.tellp() > 0 ? "\n" : "") << r.done;
        return true;
    }
};

class Rollout {
  public:
    Rollout(std::string description, RolloutState state)
        : path_(std::move(description)),
          state_(std::move(state)),
          p_(state_.params),
          transport_(http_options()) {}

    int run() {
        const auto steps = plan_steps(p_);
        std::cout << format_plan(p_, state_.next_step);
        while (state_.next_step < steps.size()) {
            const Step step = steps[state_.next_step];
            std::cout << "== step " << state_.next_step + 1 << "/" << steps.size() << ": "
                      << step_name(step) << '\n';
            std::optional<StepStop> stop = run_step(step);
            if (stop && stop->why == kRolledBack) return 1;  // the state file is gone with it
            if (stop && !stop->interrupted) {
                if (!save()) return 1;
                std::cerr << "lbxml-gen rollout: step " << step_name(step)
                          << " failed: " << stop->why << '\n'
                          << "fix it and resume with: " << resume_command(path_)
                          << "\nor reverse with: lbxml-gen rollout --description " << path_
                          << " --rollback\n";
                return 1;
            }
            if (!stop) ++state_.next_step;
            if (!save()) return 1;
            if (stop || (g_interrupted && state_.next_step < steps.size())) {
                std::cerr << "\nlbxml-gen rollout: interrupted " << (stop ? "during" : "after")
                          << " step " << step_name(step)
                          << "; the description and the front-ends are consistent.\n"
                          << "resume with: " << resume_command(path_) << '\n';
                return kInterruptedExit;
            }
        }
        std::remove(rollout_state_path(path_).c_str());
        std::cout << "rollout of " << p_.cluster << " to " << p_.to_version << " done\n";
        return 0;
    }

    // Back to the old version from whatever step: canary off, the old version active (its
    // instances enabled), the new instances disabled; applied everywhere.
    int rollback(const std::string& why) {
        std::cout << "rolling back " << p_.cluster << " to " << p_.from_version
                  << (why.empty() ? "" : " (" + why + ")") << '\n';
        const int edited = edit([this](desc::Description& d) {
            EditBatch batch;
            EditResult failed;
            const desc::Cluster* c = desc::find_cluster(d, p_.cluster);
            if (!c) return EditResult::refused("no cluster named " + p_.cluster);
            if (!c->canary_version.empty() &&
                !batch.add(desc::set_canary(d, p_.cluster, "", 0), failed))
                return failed;
            for (const auto& name : instances_of(d, p_.from_version))
                if (!batch.add(desc::set_lb_server_enabled(d, name, true), failed)) return failed;
            if (!batch.add(desc::set_active_version(d, p_.cluster, p_.from_version), failed))
                return EditResult::refused(
                    "cannot make " + p_.from_version +
                    " active again (were its instances removed?): " + failed.error);
            for (const auto& name : instances_of(d, p_.to_version))
                if (!batch.add(desc::set_lb_server_enabled(d, name, false), failed)) return failed;
            return EditResult::made(batch.done.str());
        });
        if (edited != 0 || !apply_all()) {
            std::cerr << "lbxml-gen rollout: the rollback did not complete; run it again with: "
                      << "lbxml-gen rollout --description " << path_ << " --rollback\n";
            return 1;
        }
        std::remove(rollout_state_path(path_).c_str());
        std::cout << "rolled back: " << p_.from_version << " active, " << p_.to_version
                  << " disabled\n";
        return 0;
    }

    bool save() {
        const std::string why =
            write_file_atomically(rollout_state_path(path_), write_rollout_state(state_),
                                  WriteOptions{false, false, 0644});
        if (!why.empty()) std::cerr << "lbxml-gen rollout: " << why << '\n';
        return why.empty();
    }

  private:
    static HttpClientOptions http_options() {
        HttpClientOptions o;
        o.timeout_ms = 60000;
        return o;
    }

    std::optional<StepStop> run_step(const Step& step) {
        switch (step.kind) {
            case StepKind::StartNew:
                return start_new();
            case StepKind::Canary:
                return canary(step.percent);
            case StepKind::Activate:
                return activate();
            case StepKind::Drain:
                return drain();
            case StepKind::Retire:
                return retire();
        }
        return StepStop{"unknown step"};
    }

    int edit(const std::function<EditResult(desc::Description&)>& change) {
        return edit_description_file(path_, [&](desc::Description& d) {
            EditResult r = change(d);
            if (!r.ok()) r.error = "rollout: " + r.error;
            return r;
        });
    }

    std::vector<std::string> instances_of(const desc::Description& d, const std::string& v) {
        std::vector<std::string> out;
        if (const desc::Cluster* c = desc::find_cluster(d, p_.cluster))
            for (const auto& s : c->servers)
                if (s.version == v) out.push_back(s.name);
        return out;
    }

    std::vector<std::string> instances_of(const std::string& v) {
        return instances_of(desc::load_description(path_), v);
    }

    // Generates the load balancer's xml from the description as it is now and pushes it to
    // every front-end, as apply-http-lb-changes does.
    bool apply_all() {
        try {
            const auto d = desc::load_description(path_);
            target_ = load_lb_target(path_, p_.lb_name);
            const std::string xml = zdu::config::write_xml(
                desc::generate(d, target_.lb_config_name), generated_on_now());
            const auto report =
                apply(xml, target_.urls, target_.secret, ApplyOptions{}, transport_);
            const std::string text = format_report(report);
            (report.all_applied() ? std::cout : std::cerr) << text;
            return report.all_applied() && no_version_override(report);
        } catch (const std::exception& e) {
            std::cerr << "lbxml-gen rollout: " << e.what() << '\n';
            return false;
        }
    }

    // A version or canary set through the manager outlives an apply: the rollout's edits would
    // not steer new sessions, and a rollback would look done while the override still routes.
    bool no_version_override(const ApplyReport& report) const {
        bool none = true;
        for (const auto& fe : report.front_ends) {
            for (const auto& o : fe.overrides) {
                if (o.cluster != p_.cluster || (o.kind != "active-version" && o.kind != "canary"))
                    continue;
                std::cerr << "lbxml-gen rollout: " << fe.url << " holds a manager override ("
                          << describe(o) << ") that decides where new sessions go instead of "
                          << "the description\n";
                none = false;
            }
        }
        if (!none) {
            std::cerr << "  clear it (lbxml-gen apply-http-lb-changes --reset-overrides "
                      << "--description " << path_ << ' ' << p_.lb_name
                      << ", or set-active-version with no version / stop-canary), then run "
                      << "the rollout again with --resume or --rollback\n";
        }
        return none;
    }

    MergedStatus status() {
        return merge_status(read_statuses(target_.urls, target_.secret, transport_),
                            SessionCount::PerFrontEnd);
    }

    bool run_hook(const std::string& command, const std::vector<std::string>& instances) {
        if (command.empty()) return true;
        std::string names;
        for (const auto& n : instances) names += (names.empty() ? "" : " ") + n;
        // The hook learns what it is about from the environment, not from words spliced into
        // its command line.
        ::setenv("ZDU_CLUSTER", p_.cluster.c_str(), 1);
        ::setenv("ZDU_FROM_VERSION", p_.from_version.c_str(), 1);
        ::setenv("ZDU_TO_VERSION", p_.to_version.c_str(), 1);
        ::setenv("ZDU_INSTANCES", names.c_str(), 1);
        std::cout << "running: " << command << '\n' << std::flush;
        const int status = std::system(command.c_str());
        if (status != 0) std::cerr << "lbxml-gen rollout: `" << command << "` failed\n";
        return status == 0;
    }

    // Polls the status until `done` says so; nullopt when it did, else why not.
    std::optional<StepStop> wait_until(const std::function<bool(const MergedStatus&)>& done,
                                       double timeout_s, const std::string& what) {
        const auto until =
            Clock::now() + std::chrono::milliseconds(static_cast<long>(timeout_s * 1000));
        while (true) {
            if (done(status())) return std::nullopt;
            if (g_interrupted) return StepStop{"interrupted", true};
            if (timeout_s > 0 && Clock::now() >= until)
                return StepStop{"timed out after " + std::to_string(static_cast<int>(timeout_s)) +
                                " s waiting for " + what};
            std::this_thread::sleep_for(kPoll);
        }
    }

    bool everywhere(const MergedStatus& m, const std::string& name,
                    const std::function<bool(const MergedInstance&)>& test) {
        const MergedInstance* i = find_merged(m, p_.cluster, name);
        return m.all_read && i && i->front_ends == static_cast<int>(m.front_ends.size()) &&
               test(*i);
    }

    std::optional<StepStop> start_new() {
        if (!run_hook(p_.on_start_new, names_of(p_.add))) return StepStop{"on-start-new hook"};
        const int edited = edit([this](desc::Description& d) {
            EditBatch batch;
            EditResult failed;
            // Pinned, so the new instances do not take new sessions as the highest version.
            if (!batch.add(desc::set_active_version(d, p_.cluster, p_.from_version), failed))
                return failed;
            for (const auto& n : p_.add) {
                if (desc::find_clustered_server(d, n.name)) continue;  // added before a resume
                desc::Server s;
                s.name = n.name;
                s.version = p_.to_version;
                auto parsed = zdu::config::parse_listener(n.listener);
                if (auto* why = std::get_if<std::string>(&parsed))
                    return EditResult::refused("--add " + n.name + ": " + *why);
                s.listeners.push_back(std::get<zdu::config::Listener>(parsed));
                if (!batch.add(desc::create_instance(d, p_.cluster, s, true), failed))
                    return failed;
            }
            const auto fresh = instances_of(d, p_.to_version);
            if (fresh.empty())
                return EditResult::refused("cluster " + p_.cluster + " has no instance of " +
                                           p_.to_version + " (add some with --add)");
            for (const auto& name : fresh)
                if (!batch.add(desc::set_lb_server_enabled(d, name, true), failed)) return failed;
            return EditResult::made(batch.done.str());
        });
        if (edited != 0) return StepStop{"the description edit was refused"};
        if (!apply_all()) return StepStop{"apply"};
        const auto fresh = instances_of(p_.to_version);
        std::cout << "waiting until " << p_.to_version << " is healthy on every front-end\n";
        return wait_until(
            [&](const MergedStatus& m) {
                for (const auto& name : fresh)
                    if (!everywhere(m, name, [](const auto& i) { return i.unhealthy_on == 0; }))
                        return false;
                return true;
            },
            kHealthyTimeoutS, p_.to_version + " to be healthy");
    }

    // The canary instances' counts, front-end by front-end (error_rate compares each with its
    // own earlier count), and whether any front-end sees one of them unhealthy.
    TrafficCounts canary_traffic(const std::vector<FrontEndReading>& readings,
                                 const std::vector<std::string>& names, bool& unhealthy) {
        TrafficCounts t;
        for (const FrontEndReading& fe : readings) {
            for (const ClusterReading& c : fe.clusters) {
                if (c.name != p_.cluster) continue;
                for (const InstanceReading& i : c.instances) {
                    if (std::find(names.begin(), names.end(), i.name) == names.end()) continue;
                    t[fe.url + " " + i.name] = {i.requests, i.failures, i.responses_5xx};
                    unhealthy = unhealthy || !i.healthy;
                }
            }
        }
        return t;
    }

    std::vector<FrontEndReading> readings() {
        return read_statuses(target_.urls, target_.secret, transport_);
    }

    std::optional<StepStop> canary(int percent) {
        const int edited = edit([&](desc::Description& d) {
            return desc::set_canary(d, p_.cluster, p_.to_version, percent);
        });
        if (edited != 0) return StepStop{"the description edit was refused"};
        state_.canary_used = true;
        if (!apply_all()) return StepStop{"apply"};
        const auto names = instances_of(p_.to_version);
        bool unhealthy = false;
        const TrafficCounts before = canary_traffic(readings(), names, unhealthy);
        std::cout << "canary at " << percent << "%: watching for " << p_.pause_s << " s\n";
        const auto until =
            Clock::now() + std::chrono::milliseconds(static_cast<long>(p_.pause_s * 1000));
        while (Clock::now() < until) {
            if (g_interrupted) return StepStop{"interrupted", true};
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        unhealthy = false;
        const std::vector<FrontEndReading> after_readings = readings();
        const MergedStatus after_status = merge_status(after_readings, SessionCount::PerFrontEnd);
        const TrafficCounts after = canary_traffic(after_readings, names, unhealthy);
        const auto rate = error_rate_by_front_end(before, after);
        std::cout << "canary " << p_.to_version << ": error rate "
                  << (rate ? std::to_string(*rate) : "- (no traffic)")
                  << (unhealthy ? ", an instance is unhealthy" : "") << '\n';
        if (!after_status.all_read) return StepStop{"a front-end could not be read"};
        if (unhealthy || (rate && *rate > p_.max_error_rate)) {
            const std::string why = unhealthy ? "a " + p_.to_version + " instance is unhealthy"
                                              : "error rate " + std::to_string(*rate) + " above " +
                                                    std::to_string(p_.max_error_rate);
            std::cerr << "lbxml-gen rollout: canary failed: " << why
                      << "; rolling back automatically\n";
            rollback(why);
            return StepStop{kRolledBack};
        }
        return std::nullopt;
    }

    std::optional<StepStop> activate() {
        const int edited = edit([this](desc::Description& d) {
            EditBatch batch;
            EditResult failed;
            const desc::Cluster* c = desc::find_cluster(d, p_.cluster);
            if (c && !c->canary_version.empty() &&
                !batch.add(desc::set_canary(d, p_.cluster, "", 0), failed))
                return failed;
            if (!batch.add(desc::set_active_version(d, p_.cluster, p_.to_version), failed))
                return failed;
            return EditResult::made(batch.done.str());
        });
        if (edited != 0) return StepStop{"the description edit was refused"};
        if (!apply_all()) return StepStop{"apply"};
        return std::nullopt;
    }

    std::optional<StepStop> drain() {
        target_ = load_lb_target(path_, p_.lb_name);
        const auto old = instances_of(p_.from_version);
        std::uint64_t at_start = 0;
        bool first = true;
        const bool tty = ::isatty(STDOUT_FILENO);
        auto stop = wait_until(
            [&](const MergedStatus& m) {
                std::uint64_t remaining = 0;
                std::optional<double> estimate;
                bool drained = m.all_read;
                for (const auto& name : old) {
                    const MergedInstance* i = find_merged(m, p_.cluster, name);
                    if (!i) continue;  // no front-end serves it any more: nothing to drain
                    remaining += i->live_sessions;
                    if (i->drain_estimate_s)
                        estimate = std::max(estimate.value_or(0), *i->drain_estimate_s);
                    drained = drained && everywhere(m, name, [](const auto& x) {
                                  return x.drained_everywhere;
                              });
                }
                if (first) at_start = remaining, first = false;
                // On a terminal the bar is redrawn in place; in a log, one line per poll.
                std::cout << (tty ? "\r\033[K" : "") << p_.from_version << " draining "
                          << progress_bar(remaining, at_start, estimate) << (tty ? "" : "\n")
                          << std::flush;
                return drained;
            },
            p_.drain_timeout_s, p_.from_version + " to drain");
        std::cout << '\n';
        if (stop && !stop->interrupted) {
            // GlassFish's disable timeout: once it is over the old instances go regardless.
            std::cerr << "lbxml-gen rollout: " << stop->why
                      << "; retiring the old instances anyway (--drain-timeout)\n";
            return std::nullopt;
        }
        if (!stop) std::cout << p_.from_version << " drained on every front-end\n";
        return stop;
    }

    std::optional<StepStop> retire() {
        const auto old = instances_of(p_.from_version);
        const int edited = edit([&](desc::Description& d) {
            EditBatch batch;
            EditResult failed;
            for (const auto& name : old) {
                if (!batch.add(desc::set_lb_server_enabled(d, name, false), failed)) return failed;
                if (p_.remove_old &&
                    !batch.add(desc::delete_instance(d, p_.cluster, name, false), failed))
                    return failed;
            }
            return EditResult::made(batch.done.str().empty()
                                        ? "no " + p_.from_version + " instance left"
                                        : batch.done.str());
        });
        if (edited != 0) return StepStop{"the description edit was refused"};
        if (!apply_all()) return StepStop{"apply"};
        if (!run_hook(p_.on_stop_old, old)) return StepStop{"on-stop-old hook"};
        return std::nullopt;
    }

    static std::vector<std::string> names_of(const std::vector<NewInstance>& add) {
        std::vector<std::string> out;
        for (const auto& n : add) out.push_back(n.name);
        return out;
    }

    std::string path_;
    RolloutState state_;
    RolloutParams& p_;
    CurlTransport transport_;
    LbTarget target_;
};

std::optional<RolloutState> saved_state(const std::string& path, bool& exists) {
    std::string text, why;
    exists = read_text_file(rollout_state_path(path), text, why);
    if (!exists) return std::nullopt;
    auto state = read_rollout_state(text, why);
    if (!state)
        std::cerr << "lbxml-gen rollout: " << rollout_state_path(path) << ": " << why << '\n';
    return state;
}

int run(RolloutArgs& a) {
    bool exists = false;
    auto saved = saved_state(a.description, exists);
    if (exists && !saved) return 1;
    RolloutState state;
    if (saved) {
        if (!a.resume && !a.rollback && !a.dry_run) {
            std::cerr << "lbxml-gen rollout: a rollout of " << saved->params.cluster
                      << " is in progress (" << rollout_state_path(a.description)
                      << "); continue it with --resume or reverse it with --rollback\n";
            return 1;
        }
        state = *saved;
    } else {
        if (a.resume) {
            std::cerr << "lbxml-gen rollout: nothing to resume: no "
                      << rollout_state_path(a.description) << '\n';
            return 1;
        }
        RolloutParams& p = a.params;
        p.lb_name = a.lb_name;
        std::string why;
        if (!a.add_text.empty()) {
            auto add = parse_new_instances(a.add_text, why);
            if (!add) return std::cerr << "lbxml-gen rollout: " << why << '\n', 2;
            p.add = *add;
        }
        if (!a.canary_text.empty()) {
            auto percents = parse_percents(a.canary_text, why);
            if (!percents) return std::cerr << "lbxml-gen rollout: " << why << '\n', 2;
            p.canary_percents = *percents;
        }
        if (p.lb_name.empty() || p.cluster.empty() || p.from_version.empty() ||
            p.to_version.empty()) {
            std::cerr << "lbxml-gen rollout: LB_NAME, --cluster, --from-version and "
                         "--to-version are needed\n";
            return 2;
        }
        if (p.from_version == p.to_version) {
            std::cerr << "lbxml-gen rollout: --from-version and --to-version are the same\n";
            return 2;
        }
        state.params = p;
    }
    if (a.dry_run) {
        std::cout << format_plan(state.params, state.next_step) << "(dry run: nothing changed)\n";
        return 0;
    }
    std::signal(SIGINT, on_rollout_interrupt);
    Rollout rollout(a.description, state);
    if (a.rollback) return rollout.rollback("");
    if (!saved && !rollout.save()) return 1;
    return rollout.run();
}

}  // namespace

void add_rollout_command(CLI::App& app, int& exit_code) {
    CLI::App* c = app.add_subcommand(
        "rollout",
        "Upgrade a cluster from one version to the next: start the new instances, optional "
        "canary steps, make the new version active, drain and retire the old one");
    auto a = std::make_shared<RolloutArgs>();
    c->add_option("--description", a->description, "The cluster description file")->required();
    c->add_option("LB_NAME", a->lb_name, "The load-balancer whose front-ends get each step");
    c->add_option("--cluster", a->params.cluster, "The cluster to upgrade");
    c->add_option("--from-version", a->params.from_version, "The version running now");
    c->add_option("--to-version", a->params.to_version, "The version to upgrade to");
    c->add_option("--add", a->add_text,
                  "New instances NAME=URL[,NAME=URL...] of the new version (its instances "
                  "already in the description are enabled too)");
    c->add_option("--canary", a->canary_text,
                  "Canary steps: percents of new sessions, rising (e.g. 10,50)");
    c->add_option("--pause", a->params.pause_s, "Seconds each canary step runs")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 86400.0));
    c->add_option("--max-error-rate", a->params.max_error_rate,
                  "Roll back when the canary's errors/requests is above this (errors: "
                  "connect failures, timeouts, resets and 5xx answers of its instances)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 1.0));
    c->add_option("--drain-timeout", a->params.drain_timeout_s,
                  "Seconds to wait for the old version to drain before retiring it anyway (0: "
                  "no limit)")
        ->capture_default_str()
        ->check(CLI::Range(0.0, 864000.0));
    c->add_option("--on-start-new", a->params.on_start_new,
                  "Shell command run before the new instances are enabled");
    c->add_option("--on-stop-old", a->params.on_stop_old,
                  "Shell command run once the old instances are retired (stops them)");
    c->add_flag("--remove-old", a->params.remove_old,
                "Remove the old instances from the description once retired");
    c->add_flag("--dry-run", a->dry_run, "Print the plan; change nothing");
    auto* resume =
        c->add_flag("--resume", a->resume, "Continue the rollout saved in DESCRIPTION.rollout");
    auto* rollback = c->add_flag("--rollback", a->rollback,
                                 "Reverse: the old version active, canary off, the new "
                                 "instances disabled");
    resume->excludes(rollback);
    c->footer(
        "Example:\n"
        "  lbxml-gen rollout --description cluster.xml lb1 --cluster c1 --from-version 1.0 \\\n"
        "      --to-version 2.0 --add b1=http://10.0.0.5:8080 --canary 10 --pause 60 \\\n"
        "      --max-error-rate 0.02 --remove-old --on-stop-old 'systemctl stop app-v1'\n"
        "Progress is saved in DESCRIPTION.rollout after each step. Ctrl-C ends the current\n"
        "step cleanly and prints the command that resumes; --rollback reverses from any step.\n"
        "The hooks get ZDU_CLUSTER, ZDU_FROM_VERSION, ZDU_TO_VERSION and ZDU_INSTANCES.\n"
        "Exit codes: 0 done, 1 failed or rolled back, 2 usage error, 130 interrupted.");
    c->callback([a, &exit_code] { exit_code = run(*a); });
}

}  // namespace lbxml_gen
