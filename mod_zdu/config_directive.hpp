// The directives: ZduConfigFile (the loadbalancer.xml to serve) and ZduStateSlots.
#pragma once

#include "httpd.hpp"

namespace zdu::glue {

extern const command_rec directives[];

}  // namespace zdu::glue
