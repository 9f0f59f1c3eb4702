#include "mod_zdu/request/pin_cookie.hpp"

#include <string>

#include "mod_zdu/config/version_plan.hpp"
#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/state/module_state.hpp"
#include "sessions/version_pin.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

std::int64_t now_s() {
    return static_cast<std::int64_t>(apr_time_sec(apr_time_now()));
}

}  // namespace

int pinned_version(request_rec* r, RequestContext& ctx) {
    if (ctx.pin_checked) return ctx.pinned_version;
    ctx.pin_checked = true;
    ctx.pinned_version = -1;
    const sessions::PinKeys& keys = module_state().pin_keys;
    if (ctx.sources.pin.empty() || !keys.enabled()) return -1;
    auto version = sessions::verify_pin(keys, ctx.cluster->config->name, ctx.sources.pin, now_s(),
                                        kPinMaxAgeSeconds);
    if (!version) {
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      ZDU_LOG_PIN_REFUSED
                      "cluster %s: version pin not accepted (forged, expired "
                      "or signed with an unknown key); ignored",
                      ctx.cluster->config->name.c_str());
        return -1;
    }
    ctx.pinned_version = ctx.cluster->routes.find_version(*version);
    return ctx.pinned_version;
}

void set_pin_cookie(request_rec* r, const RequestContext& ctx) {
    const sessions::PinKeys& keys = module_state().pin_keys;
    const int i = ctx.decision.instance;
    if (!keys.enabled() || i < 0) return;
    const routing::ClusterRoutes& routes = ctx.cluster->routes;
    const int version = routes.version_of(i);
    const routing::VersionPlan plan = effective_plan(*ctx.cluster);
    if (!plan.canary_on() || version != plan.canary) return;
    // The browser's pin already names it (checked when this session started): kept as it is.
    if (ctx.pin_checked && ctx.pinned_version == version) return;
    std::string value =
        sessions::sign_pin(keys, ctx.cluster->config->name, routes.versions()[version], now_s());
    const char* cookie = apr_psprintf(
        r->pool, "%.*s=%s; Path=/; Max-Age=%" APR_INT64_T_FMT "; HttpOnly%s",
        static_cast<int>(sessions::kPinCookie.size()), sessions::kPinCookie.data(), value.c_str(),
        static_cast<apr_int64_t>(kPinMaxAgeSeconds), ctx.tls ? "; Secure" : "");
    // headers_out, as the route cookie (response_filter.cpp): sent all the same from the filter.
    apr_table_addn(r->headers_out, "Set-Cookie", cookie);
}

}  // namespace zdu::glue
