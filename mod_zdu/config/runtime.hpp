// What a process needs at request time, compiled once from the config: clusters with their
// balancer, workers and shared records, and the context-root index. Read-only after post_config.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config/model.hpp"
#include "config/settings.hpp"
#include "mod_zdu/httpd.hpp"
#include "routing/cluster_routes.hpp"
#include "routing/context_roots.hpp"
#include "routing/cookie_domain.hpp"
#include "routing/new_session_policy.hpp"
#include "routing/string_index.hpp"
#include "routing/url_pattern_list.hpp"
#include "state/shared_records.hpp"

namespace zdu::glue {

struct InstanceRuntime {
    const config::Instance* config = nullptr;
    std::string worker_url;  // the listener mod_proxy forwards to
    bool tls = false;        // that listener is https://
    proxy_worker* worker = nullptr;
    state::SharedRecord* record = nullptr;
    // Removed from the file by a reload and kept, disabled (config/retained.hpp).
    bool removed = false;
    // Its record's index in the shared table: how the session table names the instance, the
    // same in every process and across reloads.
    std::uint16_t slot = 0;
};

struct ClusterRuntime {
    const config::Cluster* config = nullptr;
    std::string balancer_url;  // "balancer://zdu-…"
    routing::ClusterRoutes routes;
    std::vector<InstanceRuntime> instances;
    proxy_balancer* balancer = nullptr;
    state::SharedRecord* record = nullptr;
    std::uint64_t key = 0;  // state::cluster_key(name): part of every session key
    std::string session_cookie;
    // "scheme://host:port" of every instance listener, for rewriting backend redirects.
    routing::StringIndex listener_prefixes;
    // The hosts of those listeners, for rewriting backend cookie domains (rewrite-cookies).
    routing::InstanceHosts instance_hosts;
    // Null: the built-in (weighted) round-robin schedule.
    std::unique_ptr<routing::NewSessionPolicy> policy;

    // Whether the active health checker looks after this cluster; if not, an unhealthy instance
    // is tried again after mod_proxy's retry interval.
    bool active_checks() const {
        return config->health_checker && config->health_checker->interval_seconds > 0;
    }

    explicit ClusterRuntime(const config::Cluster& c) : config(&c), routes(c), instance_hosts(c) {}
};

struct WebModuleRuntime {
    const config::WebModule* config = nullptr;
    int cluster = -1;
    state::SharedRecord* record = nullptr;
    // What follows "JROUTE=<route>" in the route cookie ("; Path=<context-root>; HttpOnly").
    std::string cookie_attributes;
    // The whole route cookie for each instance of its cluster, for a plain then a TLS client
    // (index 2·instance + tls), and the one that expires it: built once, so that the cookie a
    // new session gets costs no concatenation.
    std::vector<std::string> route_cookies;
    std::string expired_route_cookie[2];
    const char* route_cookie(int instance, bool tls) const {
        return route_cookies[2 * static_cast<std::size_t>(instance) + (tls ? 1 : 0)].c_str();
    }
    // How long its sessions may idle (session-timeout-in-minutes, else the property).
    std::uint32_t session_timeout_s = 1800;
    // Where a stale session is sent: the context root with a trailing '/'.
    std::string entry_url;
    // logout-url-pattern: a request matching one ends its session.
    routing::UrlPatternList logout_patterns;
};

struct Runtime {
    config::ConfigPtr config;
    config::Settings settings;
    std::vector<ClusterRuntime> clusters;
    std::vector<WebModuleRuntime> web_modules;
    routing::ContextRoots context_roots;  // index i is web_modules[i]
    // Record slot -> (cluster << 16 | instance) for the instances of this config, -1 for any
    // other slot: turns the session table's binding into an instance in O(1).
    std::vector<std::int32_t> instance_at_slot;

    // The web-module whose context root is the longest prefix of `path` ending at '/', ';' or
    // the end; null when none.
    const WebModuleRuntime* match(std::string_view path) const;
    // The instance of cluster `cluster` the record slot `slot` is, or -1.
    int instance_at(int cluster, std::uint16_t slot) const {
        if (slot >= instance_at_slot.size()) return -1;
        std::int32_t packed = instance_at_slot[slot];
        if (packed < 0 || (packed >> 16) != cluster) return -1;
        return packed & 0xffff;
    }
    std::int64_t minutes_ms(int minutes) const {
        return static_cast<std::int64_t>(minutes) * settings.minute_seconds * 1000;
    }
};

// The balancer name mod_zdu gives a cluster: stable across reloads and front-ends.
std::string balancer_url_for(const config::Cluster& cluster);

// The listener mod_proxy forwards an instance's requests to: the first http:// one, or the first
// https:// one when https routing is on (ajp:// listeners are not used).
const config::Listener* forwarding_listener(const config::Instance& inst, bool https_routing);

// Start-up binds the balancers and workers define_balancers made; a reload, in a child, may also
// add workers in the balancers' growth slots and take spare balancers for new clusters.
enum class BuildMode { StartUp, Reload };

// Builds the runtime of `config`: records claimed in `table`, balancers and workers looked up in
// the mod_proxy config of `s`. Throws std::runtime_error naming what is missing.
std::unique_ptr<Runtime> build_runtime(config::ConfigPtr config, state::SharedTable& table,
                                       server_rec* s, apr_pool_t* p,
                                       BuildMode mode = BuildMode::StartUp);

// Records, for instances and web-modules disabled in the config, when mod_zdu first saw them
// disabled (their quiesce clock), and clears it for enabled ones.
void note_disabled_since(const Runtime& rt, std::int64_t now_ms);

// When a disabled instance or web-module stops serving its existing sessions; INT64_MAX while
// enabled.
std::int64_t quiesce_deadline_ms(const Runtime& rt, bool enabled, int timeout_minutes,
                                 const state::SharedRecord& record);

}  // namespace zdu::glue
