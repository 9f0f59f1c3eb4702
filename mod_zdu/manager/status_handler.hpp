// SetHandler zdu-status: the status document (the one the manager's cmd=status answers) for
// GET and HEAD, read-only and without the manager's secret; who may read it is left to httpd's
// Require, as for server-status. `?json` asks for the document; an operator page will answer
// without it later, until then the document is the answer either way.
#pragma once

namespace zdu::glue {

void register_status_handler();  // from register_hooks

}  // namespace zdu::glue
