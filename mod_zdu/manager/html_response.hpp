// The status page's HTML answers: live state, never cached, never framed by another site (its
// buttons act), and only its own inline style and script allowed to run.
#pragma once

#include <string>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

void respond_html(request_rec* r, int status, const std::string& html);

}  // namespace zdu::glue
