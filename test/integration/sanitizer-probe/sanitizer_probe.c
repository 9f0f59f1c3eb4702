/* Test only: makes a sanitizer report on purpose in the httpd child that serves the request.
 *   LoadModule zdu_sanitizer_probe_module .../zdu_sanitizer_probe.so
 *   <Location /probe> SetHandler zdu-sanitizer-probe </Location>
 *   GET /probe/heap-overflow    one byte written past a malloc'd block (ASan)
 *   GET /probe/signed-overflow  INT_MAX + 1 (UBSan)
 * Anything else under the location answers 404. Built only in the ASan+UBSan build. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* httpd.h first: http_config.h uses its types without including it. */
/* clang-format off */
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"
/* clang-format on */

/* volatile: the compiler must not see the overflow coming and fold it away. */
static volatile size_t probe_size = 16;
static volatile int probe_int = INT_MAX;

static int ends_with(const char* text, const char* suffix) {
    size_t text_len = strlen(text), suffix_len = strlen(suffix);
    return text_len >= suffix_len && strcmp(text + text_len - suffix_len, suffix) == 0;
}

static int heap_overflow(void) {
    char* block = malloc(probe_size);
    if (block == NULL) return 0;
    block[probe_size] = 1;
    int value = block[0];
    free(block);
    return value;
}

static int signed_overflow(void) {
    return probe_int + 1;
}

static int probe_handler(request_rec* r) {
    if (r->handler == NULL || strcmp(r->handler, "zdu-sanitizer-probe") != 0) return DECLINED;
    int value;
    if (ends_with(r->uri, "/heap-overflow"))
        value = heap_overflow();
    else if (ends_with(r->uri, "/signed-overflow"))
        value = signed_overflow();
    else
        return HTTP_NOT_FOUND;
    /* Only reached if the sanitizer let the request go on. */
    ap_set_content_type(r, "text/plain");
    ap_rprintf(r, "no report: %d\n", value);
    return OK;
}

static void register_hooks(apr_pool_t* pool) {
    (void)pool;
    ap_hook_handler(probe_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(zdu_sanitizer_probe) = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, register_hooks, AP_MODULE_FLAG_NONE,
};
