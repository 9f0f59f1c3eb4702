#include "mod_zdu/request/side_door.hpp"

#include "mod_zdu/log_ids.hpp"
#include "mod_zdu/state/module_state.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

bool trusted(request_rec* r) {
    const char* ip = r->useragent_ip;
    return ip && module_state().side_door_clients.contains(ip);
}

void resolve(request_rec* r, RequestContext& ctx, const char* version, const char* instance) {
    const routing::ClusterRoutes& routes = ctx.cluster->routes;
    if (instance) ctx.side_door_instance = routes.find_name(instance);
    if (version) ctx.side_door_version = routes.find_version(version);
    const bool found = ctx.side_door_instance >= 0 || ctx.side_door_version >= 0;
    ap_log_rerror(APLOG_MARK, found ? APLOG_INFO : APLOG_WARNING, 0, r,
                  ZDU_LOG_SIDE_DOOR "side door from %s to cluster %s: %s%s%s%s%s", r->useragent_ip,
                  ctx.cluster->config->name.c_str(), instance ? "instance " : "",
                  instance ? instance : "", version ? " version " : "", version ? version : "",
                  found ? "" : " (no such instance or version: routed as usual)");
}

}  // namespace

void open_side_door(request_rec* r, RequestContext& ctx, const char* version,
                    const char* instance) {
    ctx.side_door_instance = -1;
    ctx.side_door_version = -1;
    if (!version && !instance) return;
    apr_table_unset(r->headers_in, kSideDoorVersionHeader);
    apr_table_unset(r->headers_in, kSideDoorInstanceHeader);
    if (trusted(r)) {
        resolve(r, ctx, version, instance);
        return;
    }
    ap_log_rerror(
        APLOG_MARK, APLOG_INFO, 0, r,
        ZDU_LOG_SIDE_DOOR_IGNORED "ignored and removed %s/%s from %s: not in ZduSideDoorClients",
        kSideDoorVersionHeader, kSideDoorInstanceHeader, r->useragent_ip ? r->useragent_ip : "?");
}

}  // namespace zdu::glue
