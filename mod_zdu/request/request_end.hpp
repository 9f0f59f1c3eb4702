// The end of a client request (httpd's log_transaction, once per request, after any internal
// redirect): its time from r->request_time and its outcome go into the shared records of the
// instance that answered and of its web-module, for status, /metrics and /lbgetmonitordata.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

int note_request_end(request_rec* r);  // a log_transaction hook

}  // namespace zdu::glue
