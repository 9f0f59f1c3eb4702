// The error pages the web-modules' error-url attributes name (a file name in the operator's
// error page directory, as GlassFish's errorpages directory), read once when the config is
// loaded: a failed request then costs a lookup, not a stat, open and read, and a page
// deleted or changed later only counts again at the next (re)load.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/model.hpp"

namespace zdu::config {

// Larger pages are refused at load: every process keeps each page in memory.
constexpr std::size_t kMaxErrorPageBytes = std::size_t{1} << 20;

// Whether an error-url names a page (rather than being a URL to redirect to, or empty).
bool names_error_page(std::string_view error_url);

class ErrorPages {
  public:
    // Reads, from `dir`, every page an error-url of `lb` names. A page that cannot be served
    // (no directory, a name that is not a plain file name, missing, unreadable, too large) is
    // left out, with one line in `problems` naming the web-module, the file and why.
    static ErrorPages load(const LoadBalancer& lb, const std::string& dir,
                           std::vector<std::string>& problems,
                           std::size_t max_bytes = kMaxErrorPageBytes);

    // The page named `name`, or null when it was not loaded. No allocation.
    const std::string* find(std::string_view name) const;
    std::size_t size() const { return pages_.size(); }

  private:
    struct Page {
        std::string name;
        std::string text;
    };
    std::unordered_multimap<std::uint64_t, Page> pages_;  // stable hash of the name -> page
};

}  // namespace zdu::config
