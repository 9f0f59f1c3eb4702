#include "mod_zdu/reload/publish_lock.hpp"

#include <util_mutex.h>

#include "mod_zdu/log_ids.hpp"

APLOG_USE_MODULE(zdu);

namespace zdu::glue {
namespace {

constexpr const char* kMutexType = "zdu-reload";

// Made per config pass in the parent, attached in each child; a plain pointer in static
// storage, so nothing runs at exit.
apr_global_mutex_t* mutex = nullptr;

int pre_config(apr_pool_t* pconf, apr_pool_t*, apr_pool_t*) {
    mutex = nullptr;
    return ap_mutex_register(pconf, kMutexType, nullptr, APR_LOCK_DEFAULT, 0) == APR_SUCCESS
               ? OK
               : HTTP_INTERNAL_SERVER_ERROR;
}

int post_config(apr_pool_t* pconf, apr_pool_t*, apr_pool_t*, server_rec* s) {
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) return OK;
    apr_status_t rv = ap_global_mutex_create(&mutex, nullptr, kMutexType, nullptr, s, pconf, 0);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_EMERG, rv, s,
                     ZDU_LOG_RELOAD_FAILED "cannot create the reload mutex");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return OK;
}

void child_init(apr_pool_t* pchild, server_rec* s) {
    if (!mutex) return;
    apr_status_t rv = apr_global_mutex_child_init(&mutex, apr_global_mutex_lockfile(mutex), pchild);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     ZDU_LOG_RELOAD_FAILED
                     "cannot attach the reload mutex; no reload from "
                     "this child");
        mutex = nullptr;
    }
}

}  // namespace

void register_publish_lock() {
    ap_hook_pre_config(pre_config, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_post_config(post_config, nullptr, nullptr, APR_HOOK_MIDDLE);
    ap_hook_child_init(child_init, nullptr, nullptr, APR_HOOK_MIDDLE);
}

PublishLock::PublishLock() {
    locked_ = mutex && apr_global_mutex_lock(mutex) == APR_SUCCESS;
}

PublishLock::~PublishLock() {
    if (locked_) apr_global_mutex_unlock(mutex);
}

}  // namespace zdu::glue
