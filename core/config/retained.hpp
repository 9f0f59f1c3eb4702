// Instances a reload removed from the file but mod_zdu keeps: disabled (no new sessions, live
// sessions until their disable-timeout-in-minutes), with their worker and records, so their
// counters and drain state stay visible. They are published next to the file's bytes, so every
// child (a fresh one too) keeps the same set; a graceful restart forgets them. An instance
// that comes back under its name is the file's again.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/model.hpp"

namespace zdu::config {

struct RetainedInstance {
    std::string cluster;
    Instance instance;  // as it was last configured, enabled = false
};

// One line per instance, tab-separated fields, %-escaped; parse_retained reads it back
// (lines it cannot read are skipped: the set is advisory, the file is the config).
std::string format_retained(const std::vector<RetainedInstance>& kept);
std::vector<RetainedInstance> parse_retained(std::string_view text);

// What to keep after a reload from `served` (the model children ran, retained ones included)
// to `next` (the new file): every instance of `served` that `next` lacks, in a cluster `next`
// still has, disabled.
std::vector<RetainedInstance> retained_after(const LoadBalancer& served, const LoadBalancer& next);

// `lb` with the retained instances appended to their clusters (disabled); ones whose cluster is
// gone, or whose name the file uses again, are left out.
LoadBalancer with_retained(const LoadBalancer& lb, const std::vector<RetainedInstance>& kept);

}  // namespace zdu::config
