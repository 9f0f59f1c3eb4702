// SetHandler zdu-status: the operator's status page (HTML) for GET and HEAD, or with `?json` (or
// an Accept preferring application/json) the status document the manager's cmd=status answers;
// read-only and without the manager's secret; who may read it is left to httpd's Require, as
// for server-status. Both render from the same StatusData.
#pragma once

namespace zdu::glue {

void register_status_handler();  // from register_hooks

}  // namespace zdu::glue
