// The operator's status page: the StatusData the JSON is rendered from, as one HTML page with
// inline CSS (no external asset), readable on a laptop (a table per cluster) and on a phone (the
// table becomes one card per instance). Every value from the config or a request is escaped.
#pragma once

#include <string>
#include <string_view>

#include "manager/status.hpp"

namespace zdu::manager {

// What the page shows besides the data: read-only (zdu-status), a sign-in form, or the
// signed-in manager page with a form per action.
enum class PageMode { ReadOnly, SignIn, Actions };

struct PageOptions {
    PageMode mode = PageMode::ReadOnly;
    std::string self_path;  // where forms post and the refresh goes: the page's own path
    std::string token;      // Actions: the per-page token every form carries
    std::string notice;     // a line above the data (the outcome of an action, a refusal)
    bool notice_is_error = false;
    int refresh_s = 10;  // 0: no refresh
};

// The page for `data` (ignored for SignIn, which shows no data).
std::string render_status_page(const StatusData& data, const PageOptions& options);

// Whether an Accept header prefers application/json to HTML (q-values weighed, wildcards count
// for HTML): scripts that ask for JSON keep getting it without ?json.
bool prefers_json(std::string_view accept);

// `text` with & < > " ' as character references, for element content and quoted attributes.
std::string html_escape(std::string_view text);

}  // namespace zdu::manager
