#include "mod_zdu/manager/status_handler.hpp"

#include <chrono>
#include <cstring>
#include <string>
#include <string_view>

#include "manager/status_page.hpp"
#include "mod_zdu/httpd.hpp"
#include "mod_zdu/manager/html_response.hpp"
#include "mod_zdu/manager/json_response.hpp"
#include "mod_zdu/manager/status_document.hpp"
#include "mod_zdu/reload/child_switch.hpp"
#include "mod_zdu/reload/snapshot.hpp"

namespace zdu::glue {
namespace {

constexpr const char* kHandlerName = "zdu-status";

// `?json` (as a parameter of its own, valued or not), or an Accept that prefers JSON.
bool wants_json(const request_rec* r) {
    std::string_view args(r->args ? r->args : "");
    while (!args.empty()) {
        const std::size_t amp = args.find('&');
        std::string_view param = args.substr(0, amp);
        if (param.substr(0, param.find('=')) == "json") return true;
        args = amp == std::string_view::npos ? std::string_view() : args.substr(amp + 1);
    }
    const char* accept = apr_table_get(r->headers_in, "Accept");
    return accept && manager::prefers_json(accept);
}

int handle(request_rec* r) {
    if (!r->handler || std::strcmp(r->handler, kHandlerName) != 0) return DECLINED;
    const auto started = std::chrono::steady_clock::now();
    // GET covers HEAD in r->method_number. Nothing here changes state, so nothing else is
    // accepted.
    ap_allow_standard_methods(r, REPLACE_ALLOW, M_GET, -1);
    if (r->method_number != M_GET) return HTTP_METHOD_NOT_ALLOWED;
    if (int rc = ap_discard_request_body(r); rc != OK) return rc;
    // As the manager does: the answer is about the newest config this child can serve.
    follow_published(r->server);
    // The same URL answers a page or the document: caches must keep them apart.
    apr_table_mergen(r->headers_out, "Vary", "Accept");
    if (wants_json(r)) {
        ManagerAnswer answer = status_document(pin_for_request(r), std::string(), started);
        respond_json(r, answer.status, answer.json);
        return OK;
    }
    manager::StatusData data;
    collect_status(pin_for_request(r), std::string(), data);
    manager::PageOptions options;
    options.self_path = r->uri;
    respond_html(r, HTTP_OK, manager::render_status_page(data, options));
    return OK;
}

}  // namespace

int status_handler(request_rec* r) {
    return handle(r);
}

}  // namespace zdu::glue
