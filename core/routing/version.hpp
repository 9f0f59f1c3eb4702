// Application versions of a cluster's instances: their order (new sessions go to the highest
// version unless the cluster names one) and the plan compiled from the cluster's attributes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zdu::routing {

// <0, 0, >0 like strcmp. Dotted numbers compare numerically part by part ("1.10" > "1.9",
// "2.0.1" > "2.0"); when either side is not dotted digits, as plain text.
int compare_versions(std::string_view a, std::string_view b);

// [A-Za-z0-9._-]{1,64}: safe in a cookie, a status document and a command argument.
bool valid_version(std::string_view text);

// The cluster's version choices as indexes into ClusterRoutes::versions(); -1: not named.
struct VersionPlan {
    int active = -1;  // active-version; -1: the highest version with an instance taking sessions
    int canary = -1;  // canary-version
    int canary_percent = 0;

    bool canary_on() const { return canary >= 0 && canary_percent > 0; }
};

// Manager overrides of a plan, as the cluster's shared record holds them: a version does not fit
// in one atomic, so a record names it by version_key(), the same in every process and in every
// config generation, and each runtime resolves the key against its own version list.

// FNV-1a of the version text, never 0 (0 means "no override").
std::uint64_t version_key(std::string_view version);

// A canary override in one word: the version key's high 56 bits and percent + 1 (1..101) in
// the low 8, so a reader never sees one command's version with another's percent.
std::uint64_t pack_canary(std::string_view version, int percent);
int canary_percent_of(std::uint64_t packed);  // -1 when `packed` is 0 (no override)

// The index in `versions` the key names; -1 when none does.
int resolve_version(const std::vector<std::string>& versions, std::uint64_t key);
int resolve_canary(const std::vector<std::string>& versions, std::uint64_t packed);

// `base` with the overrides applied: an active key that names one of `versions` replaces
// active-version; a canary word replaces canary-version and canary-percent (percent 0: off).
// A key no version of this config matches leaves the xml's choice, so a reload that drops
// the version cannot route to nothing.
VersionPlan apply_overrides(VersionPlan base, const std::vector<std::string>& versions,
                            std::uint64_t active_key, std::uint64_t canary_packed);

}  // namespace zdu::routing
