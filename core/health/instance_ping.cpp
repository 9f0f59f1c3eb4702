#include "health/instance_ping.hpp"

#include "routing/header_text.hpp"

namespace zdu::health {
namespace {

// The path of an absolute http(s) URL (empty when it has none); any other `url` as it is.
std::string_view path_part(std::string_view url) {
    for (std::string_view scheme : {"http://", "https://"}) {
        if (!routing::starts_with_nocase(url, scheme)) continue;
        auto slash = url.find('/', scheme.size());
        return slash == std::string_view::npos ? std::string_view() : url.substr(slash);
    }
    return url;
}

}  // namespace

std::string ping_path(std::string_view url) {
    std::string_view path = path_part(url);
    if (path.empty()) return "/";
    return path.front() == '/' ? std::string(path) : "/" + std::string(path);
}

bool instance_ping_target(const config::Cluster& cluster, const config::Instance& instance,
                          PingTarget& out) {
    for (const auto& l : instance.listeners) {
        if (l.scheme != config::Scheme::Http) continue;
        out.host = l.host;
        out.port = l.port;
        out.path = ping_path(cluster.health_checker ? cluster.health_checker->url : "/");
        return true;
    }
    return false;
}

}  // namespace zdu::health
