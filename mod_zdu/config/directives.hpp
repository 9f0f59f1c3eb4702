// The directives of mod_zdu (docs/directives.md): the loadbalancer.xml to serve, shared-memory
// sizes, the manager, the session and upgrade settings.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

extern const command_rec directives[];

}  // namespace zdu::glue
