// Sending a whole text answer that must never be cached (metrics, monitoring data).
#pragma once

#include <string>
#include <string_view>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

void respond_text(request_rec* r, int status, std::string_view content_type,
                  const std::string& body);

}  // namespace zdu::glue
