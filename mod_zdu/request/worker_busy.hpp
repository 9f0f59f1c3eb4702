// mod_proxy's count of requests in flight per worker (`busy`, in shared memory), which the
// adaptive policy reads. mod_proxy_balancer updates it without atomics; mod_zdu reads and
// writes it atomically and never takes it below zero.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

apr_size_t busy_of(const proxy_worker* w);

// One more request in flight on `w`, until r's pool goes (or release_busy()).
void mark_busy(request_rec* r, proxy_worker* w);

// The request is done with `w` (its attempt there failed): the count drops now, not when the
// request ends after trying elsewhere.
void release_busy(request_rec* r, proxy_worker* w);

}  // namespace zdu::glue
