#include "mod_zdu/request/error_pages.hpp"

#include <vector>

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/state/module_state.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {

void load_error_pages(server_rec* s) {
    ModuleState& state = module_state();
    if (!state.loaded) return;
    std::vector<std::string> problems;
    state.error_pages = config::ErrorPages::load(*state.loaded, state.error_page_dir, problems);
    for (const std::string& problem : problems) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     ZDU_LOG_ERROR_PAGE "%s; failed requests get the plain status instead",
                     problem.c_str());
    }
}

const char* error_page_body(request_rec* r, const std::string& name) {
    const std::string* page = module_state().error_pages.find(name);
    if (!page) return nullptr;
    // ap_custom_response takes a text that starts with '/' or looks like a URL as a place to
    // redirect to; a leading newline keeps such a page a body.
    const char* text = page->c_str();
    if (*text == '/' || ap_is_url(text)) return apr_pstrcat(r->pool, "\n", text, nullptr);
    return text;
}

}  // namespace zdu::glue
