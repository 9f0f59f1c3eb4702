/*
 * Policy modules that must be refused, for the tests of mod_zdu's checks. BROKEN_VERSION builds
 * one with an interface version mod_zdu does not know; BROKEN_INIT one whose init() fails.
 */
#include <stdio.h>

#include "mod_zdu_policy.h"

static int first(const zdu_policy_request* request, const zdu_policy_candidate* candidates,
                 size_t n, void* state) {
    (void)request;
    (void)candidates;
    (void)n;
    (void)state;
    return 0;
}

#if defined(BROKEN_VERSION)

static const zdu_policy_v1 table = {99u, "future", NULL, first, NULL};

#elif defined(BROKEN_INIT)

static int refuse(const zdu_policy_cluster* cluster, void** state, char* error, size_t error_size) {
    (void)state;
    snprintf(error, error_size, "refusing cluster %.*s", (int)cluster->name.len,
             cluster->name.data);
    return 1;
}

static const zdu_policy_v1 table = {ZDU_POLICY_VERSION_1, "refuses", refuse, first, NULL};

#else
#error "define BROKEN_VERSION or BROKEN_INIT"
#endif

ZDU_POLICY_EXPORT const zdu_policy_v1* zdu_policy_entry(void) {
    return &table;
}
