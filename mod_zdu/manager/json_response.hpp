// The JSON answer of the manager and of zdu-status: live state, so never cached.
#pragma once

#include <string>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// Sends `json` with `status`; for HEAD httpd's filters drop the body and keep its length.
void respond_json(request_rec* r, int status, const std::string& json);

}  // namespace zdu::glue
