// What `lbxml-gen rollout` does, without doing it: its parameters, the steps they make, the
// state file that lets --resume continue after the last finished step, and the canary's error
// rate. Pure code; rollout_command.cpp runs the steps.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lbxml_gen {

// An instance --add brings: NAME=URL (the URL is its listener).
struct NewInstance {
    std::string name;
    std::string listener;
};

struct RolloutParams {
    std::string lb_name;
    std::string cluster;
    std::string from_version;
    std::string to_version;
    std::vector<NewInstance> add;
    std::vector<int> canary_percents;  // empty: no canary step
    double pause_s = 30;
    double max_error_rate = 0.05;
    double drain_timeout_s = 0;  // 0: wait as long as it takes
    std::string on_start_new;
    std::string on_stop_old;
    bool remove_old = false;
};

enum class StepKind { StartNew, Canary, Activate, Drain, Retire };

struct Step {
    StepKind kind = StepKind::StartNew;
    int percent = 0;  // Canary only
};

// The steps in order: start the new instances, one canary step per percent, make the new
// version active, wait for the old one to drain, retire it.
std::vector<Step> plan_steps(const RolloutParams& p);
std::string step_name(const Step& s);

// The plan for --dry-run and for the start of a run: one numbered line per step saying what it
// edits, applies, waits for and runs.
std::string format_plan(const RolloutParams& p, std::size_t first_step = 0);

// "NAME=URL[,NAME=URL...]" into instances; nullopt with `why` naming the bad part.
std::optional<std::vector<NewInstance>> parse_new_instances(const std::string& text,
                                                            std::string& why);
// "5,25,50" into percents in 1..99, rising; nullopt with `why`.
std::optional<std::vector<int>> parse_percents(const std::string& text, std::string& why);

// The state file beside the description: the parameters and the next step to run.
struct RolloutState {
    RolloutParams params;
    std::size_t next_step = 0;
    bool canary_used = false;  // a canary step was applied (rollback turns it off)
};

std::string rollout_state_path(const std::string& description);
std::string write_rollout_state(const RolloutState& s);
// nullopt with `why` when `text` is not a state file this version wrote.
std::optional<RolloutState> read_rollout_state(const std::string& text, std::string& why);

// Requests, proxy-side failures (connect, timeout, reset) and 5xx the application answered, of
// the canary instances.
struct TrafficCount {
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    std::uint64_t responses_5xx = 0;
};
// (failures + responses_5xx) / requests between two counts: a version that answers 500 is as
// bad as one that cannot be reached. nullopt when no request was made in between (no evidence
// either way). A counter that went down (a front-end restarted) counts from 0.
std::optional<double> error_rate(const TrafficCount& before, const TrafficCount& after);

// The canary's counts per front-end and instance ("<front-end URL> <instance>"): each front-end
// counts on its own, so one that restarted (its counters back near 0) counts from 0 without its
// drop hiding the traffic of the others, as a sum over front-ends would.
using TrafficCounts = std::map<std::string, TrafficCount>;
// (failures + responses_5xx) / requests summed over the pairs `after` holds, each against its
// own `before` (from 0 when it restarted or is new); nullopt when no request was made.
std::optional<double> error_rate_by_front_end(const TrafficCounts& before,
                                              const TrafficCounts& after);

// The live line of the drain wait: "[#####.....] 12 sessions left, about 40 s".
std::string progress_bar(std::uint64_t remaining, std::uint64_t at_start,
                         std::optional<double> estimate_s, int width = 30);

// The shell-quoted command line that resumes the rollout of `description`.
std::string resume_command(const std::string& description);

}  // namespace lbxml_gen
