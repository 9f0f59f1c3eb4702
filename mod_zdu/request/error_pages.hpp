// The error pages of ZduErrorPageDir, read with the config (core config/error_pages.hpp) in
// post_config, so a failed request never touches the disk. Children inherit them by fork.
#pragma once

#include <string>

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// Reads the pages the loaded config names into the module state; each page that cannot be
// served is logged (ZDU0018) now, once per (re)start, rather than on every failed request.
void load_error_pages(server_rec* s);

// The page `name` as ap_custom_response takes it as a body; null when none was loaded.
const char* error_page_body(request_rec* r, const std::string& name);

}  // namespace zdu::glue
