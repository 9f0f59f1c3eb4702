// Whether mod_proxy was there when mod_zdu was loaded (its symbols are weak: see httpd.hpp).
#pragma once

#include "mod_zdu/httpd.hpp"

namespace zdu::glue {

inline bool proxy_api_available() {
    return &proxy_module != nullptr && &proxy_hook_pre_request != nullptr &&
           &proxy_hook_post_request != nullptr && &proxy_hook_canon_handler != nullptr &&
           &ap_proxy_define_balancer != nullptr && &ap_proxy_define_worker != nullptr &&
           &ap_proxy_get_balancer != nullptr && &ap_proxy_get_worker != nullptr &&
           &ap_proxy_canonenc_ex != nullptr && &ap_proxy_sync_balancer != nullptr &&
           &ap_proxy_share_worker != nullptr && &ap_proxy_initialize_worker != nullptr;
}

}  // namespace zdu::glue
