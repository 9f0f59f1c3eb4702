// The httpd, APR and mod_proxy headers, included one way everywhere. mod_proxy.h has no
// extern "C" guard of its own.
#pragma once

// httpd.h first: the other headers rely on its types.
#include <httpd.h>
// ap_config.h turns on http_log.h's inline level checks only for C99 compilers; g++ supports the
// variadic macros they use. Without it every debug ap_log_rerror below the configured level is
// still a call with all its arguments. Defined after httpd.h so that http_config.h keeps its
// C++-compatible (non-designated) initializers.
#ifndef AP_HAVE_C99
#define AP_HAVE_C99
#endif
// clang-format off
#include <apr_optional.h>
#include <apr_shm.h>
#include <apr_strings.h>
#include <http_config.h>
#include <http_core.h>
#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>
#include <http_ssl.h>
// clang-format on

extern "C" {
#include <mod_proxy.h>
}

// mod_proxy's symbols are bound weakly (in every file, or one strong reference would win), so an
// httpd without mod_proxy, or with it loaded after mod_zdu, gets a clear message from mod_zdu
// instead of a dlopen error; see proxy_api_available().
#pragma weak proxy_module
#pragma weak proxy_hook_pre_request
#pragma weak proxy_hook_post_request
#pragma weak proxy_hook_canon_handler
#pragma weak ap_proxy_define_balancer
#pragma weak ap_proxy_define_worker
#pragma weak ap_proxy_get_balancer
#pragma weak ap_proxy_get_worker
#pragma weak ap_proxy_canonenc_ex
// Workers added while the server runs (config/worker_provisioning.cpp).
#pragma weak ap_proxy_sync_balancer
#pragma weak ap_proxy_share_worker
#pragma weak ap_proxy_initialize_worker

extern "C" module AP_MODULE_DECLARE_DATA zdu_module;
extern "C" module AP_MODULE_DECLARE_DATA proxy_module;
