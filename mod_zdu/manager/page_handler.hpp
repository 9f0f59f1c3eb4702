// The manager's page: on the zdu-manager location, a browser without the X-Zdu-Secret header
// gets the status page with a form per action once signed in. Sign-in posts the secret once
// and gets a signed HttpOnly SameSite=Strict cookie; each action form carries a per-page token
// and must come from the page's own origin. Requests with the header are the scripts' JSON API,
// left to the manager handler as before.
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// OK when the request was a page request and is answered; DECLINED to let the manager's JSON
// handling (and its refusals) take it.
int handle_page(request_rec* r);

}  // namespace zdu::glue
