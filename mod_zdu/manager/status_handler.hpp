// SetHandler zdu-status: the operator's status page (HTML) for GET and HEAD, or with `?json` (or
// an Accept preferring application/json) the status document the manager's cmd=status answers;
// read-only and without the manager's secret; who may read it is left to httpd's Require, as
// for server-status. Both render from the same StatusData.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// A handler of handlers.cpp's one handler hook: DECLINED unless the request is its own.
int status_handler(request_rec* r);

}  // namespace zdu::glue
