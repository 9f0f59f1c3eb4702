// mod_zdu's content handlers behind one handler hook: the manager (zdu-manager), the status page
// (zdu-status), the metrics (zdu-metrics) and GlassFish's monitoring pull (/lbgetmonitordata).
// One hook rather than four: every request httpd serves runs each handler hook until one takes
// it, and nearly all of them are proxied requests none of these takes.
#pragma once

namespace zdu::glue {

void register_handlers();  // from register_hooks

}  // namespace zdu::glue
