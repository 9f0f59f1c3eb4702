/*
 * A sample mod_zdu policy module (see mod_zdu/include/mod_zdu_policy.h).
 *
 * It is deliberately simple and deterministic so tests can observe it:
 *   - a new session goes to the candidate whose instance name sorts last (byte order);
 *   - a request whose path contains "/no-choice" gets no choice (-1), so mod_zdu falls back to
 *     the cluster's round-robin order.
 *
 * destroy() says on stderr which process runs it (httpd sends a module's stderr to its error
 * log), so the tests can check that only httpd's parent tears a policy down.
 *
 * It shows the parts of the interface a real policy uses: init() works out, once, what choose()
 * needs (here the rank of every instance name) and keeps it in the state; choose() is then a
 * loop over the candidates, safe to call from many threads because it only reads the state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mod_zdu_policy.h"

typedef struct sample_state {
    size_t count;
    int* rank; /* rank[index]: position of instance `index` in name order */
} sample_state;

static int compare_names(zdu_policy_string a, zdu_policy_string b) {
    size_t common = a.len < b.len ? a.len : b.len;
    int c = common ? memcmp(a.data, b.data, common) : 0;
    if (c != 0) return c;
    return (a.len > b.len) - (a.len < b.len);
}

static int contains(zdu_policy_string haystack, const char* needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= haystack.len; ++i) {
        if (memcmp(haystack.data + i, needle, n) == 0) return 1;
    }
    return 0;
}

static int sample_init(const zdu_policy_cluster* cluster, void** state, char* error,
                       size_t error_size) {
    sample_state* s = calloc(1, sizeof *s);
    if (s && cluster->instance_count) s->rank = calloc(cluster->instance_count, sizeof(int));
    if (!s || (cluster->instance_count && !s->rank)) {
        free(s);
        snprintf(error, error_size, "out of memory");
        return 1;
    }
    s->count = cluster->instance_count;
    for (size_t i = 0; i < s->count; ++i) {
        for (size_t j = 0; j < s->count; ++j) {
            if (compare_names(cluster->instances[j].name, cluster->instances[i].name) < 0) {
                s->rank[i]++;
            }
        }
    }
    *state = s;
    return 0;
}

static int sample_choose(const zdu_policy_request* request, const zdu_policy_candidate* candidates,
                         size_t n, void* state) {
    const sample_state* s = state;
    if (contains(request->uri, "/no-choice")) return -1;
    int best = 0;
    for (size_t k = 1; k < n; ++k) {
        if (s->rank[candidates[k].index] > s->rank[candidates[best].index]) best = (int)k;
    }
    return best;
}

static void sample_destroy(void* state) {
    sample_state* s = state;
    fprintf(stderr, "sample: destroy in process %ld\n", (long)getpid());
    if (!s) return;
    free(s->rank);
    free(s);
}

static const zdu_policy_v1 sample_policy = {
    ZDU_POLICY_VERSION_1, "sample: last name", sample_init, sample_choose, sample_destroy,
};

ZDU_POLICY_EXPORT const zdu_policy_v1* zdu_policy_entry(void) {
    return &sample_policy;
}
