// translate_name: claims requests under an enabled web-module's context root for mod_proxy.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

int translate_name(request_rec* r);

}  // namespace zdu::glue
