// cmd=push-validate and cmd=push-commit: a loadbalancer.xml in the request body, checked, and
// on commit written over ZduConfigFile and published to every child through the hot-reload
// path. Only with ZduConfigPush On (and the manager secret, which the handler checked).
#pragma once

#include "manager/command.hpp"
#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

// Reads the body (bounded by ZduConfigPushMaxBytes), runs the command, answers, logs. Returns
// the handler's result (OK once an answer went out).
int handle_push(request_rec* r, const manager::Command& command);

}  // namespace zdu::glue
