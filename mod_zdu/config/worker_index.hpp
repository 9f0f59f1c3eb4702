// Finds the mod_proxy worker of an instance listener. mod_proxy names a worker without its
// scheme's default port ("http://h:80" becomes "http://h") and ap_proxy_get_worker() needs that
// name to cover the whole "scheme://host:port" it is given, so looking up "http://h:80" finds
// nothing. Workers are matched here on the scheme, host and port mod_proxy parsed instead.
#pragma once

#include <string>
#include <unordered_map>

#include "config/model.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

class WorkerIndex {
  public:
    WorkerIndex() = default;
    // Indexes the workers `balancer` has so far.
    explicit WorkerIndex(proxy_balancer* balancer);

    // Indexes the workers `balancer` got since this index last looked (workers are only ever
    // appended to a balancer's list). For one balancer only.
    void add_from(proxy_balancer* balancer);

    // Null when mod_proxy has no worker for `listener` in the balancer.
    proxy_worker* find(const config::Listener& listener) const;
    void add(proxy_worker* worker);

  private:
    std::unordered_map<std::string, proxy_worker*> by_endpoint_;
    int indexed_ = 0;  // how many of the balancer's workers add_from has seen
};

}  // namespace zdu::glue
