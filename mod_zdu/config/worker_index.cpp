#include "mod_zdu/config/worker_index.hpp"

#include <algorithm>
#include <cctype>

namespace zdu::glue {
namespace {

// "scheme://host:port", host in lower case as mod_proxy keeps it, the port always written.
std::string endpoint_key(std::string_view scheme, std::string host, unsigned port) {
    std::transform(host.begin(), host.end(), host.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string key(scheme);
    key += "://";
    key += host;
    key += ':';
    key += std::to_string(port);
    return key;
}

}  // namespace

WorkerIndex::WorkerIndex(proxy_balancer* balancer) {
    add_from(balancer);
}

void WorkerIndex::add_from(proxy_balancer* balancer) {
    auto** workers = reinterpret_cast<proxy_worker**>(balancer->workers->elts);
    for (; indexed_ < balancer->workers->nelts; ++indexed_) {
        if (workers[indexed_]->s) add(workers[indexed_]);
    }
}

void WorkerIndex::add(proxy_worker* worker) {
    // s->port is the scheme's default port when the name leaves it out.
    by_endpoint_.emplace(endpoint_key(worker->s->scheme, worker->s->hostname_ex, worker->s->port),
                         worker);
}

proxy_worker* WorkerIndex::find(const config::Listener& listener) const {
    auto it = by_endpoint_.find(
        endpoint_key(config::scheme_name(listener.scheme), listener.host, listener.port));
    return it == by_endpoint_.end() ? nullptr : it->second;
}

}  // namespace zdu::glue
