// The directives: ZduConfigFile (the loadbalancer.xml to serve) and ZduStateSlots.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

extern const command_rec directives[];

}  // namespace zdu::glue
