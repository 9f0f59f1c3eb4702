/*
 * mod_zdu_policy.h - the interface of a mod_zdu policy module.
 *
 * A cluster with policy="user-defined" in loadbalancer.xml names a shared library in its
 * policy-module attribute (an absolute path, or one relative to httpd's ServerRoot). mod_zdu
 * loads it when it reads its configuration and asks it which of the instances that can take a
 * new session gets each new session (and each session whose instance is gone, when the failover
 * rules do not already name another). Requests of a session whose instance still serves it stay
 * there and never reach the module.
 *
 * The library exports one symbol:
 *
 *     const zdu_policy_v1 *zdu_policy_entry(void);
 *
 * returning a pointer to a static table whose `version` is ZDU_POLICY_VERSION_1. A library
 * that cannot be loaded, lacks the symbol, returns NULL, has another version or no `choose`
 * stops httpd from starting (and `apachectl -t` fails) with a message naming the file.
 *
 * Lifecycle
 *   - The library is loaded in httpd's parent process, as the user httpd starts as (usually
 *     root), once when the configuration is checked and again each time the runtime is built
 *     (start, graceful restart). Each load is paired with an unload, so `init` and `destroy`
 *     may run several times in one process, and state must not live in globals that outlast
 *     `destroy`.
 *   - `init` runs before the children fork; they inherit the state by fork, so anything
 *     `choose` changes in it is per process, not shared between children.
 *   - `choose` is called concurrently from many threads of every child: it must be thread
 *     safe, must not block (no I/O, no locks held for long), should not allocate, and must not
 *     keep the pointers it is given past its return.
 *
 * Strings are pointer + length and NOT NUL-terminated (mod_zdu hands out views into the
 * request and the configuration, without copying).
 *
 * Build:  cc -shared -fPIC -I<mod_zdu>/include -o my_policy.so my_policy.c
 */
#ifndef MOD_ZDU_POLICY_H
#define MOD_ZDU_POLICY_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the table below. A later interface gets a new table type and number; mod_zdu
 * refuses numbers it does not know. */
#define ZDU_POLICY_VERSION_1 1u

/* The name of the one symbol mod_zdu looks up. */
#define ZDU_POLICY_ENTRY_SYMBOL "zdu_policy_entry"

/* Functions a policy module defines are exported under this (default ELF visibility). */
#if defined(__GNUC__)
#define ZDU_POLICY_EXPORT __attribute__((visibility("default")))
#else
#define ZDU_POLICY_EXPORT
#endif

/* A string that is not NUL-terminated: `len` bytes at `data` (data may be NULL when len is 0). */
typedef struct zdu_policy_string {
    const char* data;
    size_t len;
} zdu_policy_string;

/* An instance of the cluster as configured, for `init`. */
typedef struct zdu_policy_instance {
    zdu_policy_string name;  /* <instance name="..."> */
    zdu_policy_string route; /* the route id in JROUTE / jsessionid suffixes */
    int weight;              /* <instance weight="..."> */
    int enabled;             /* 1 when enabled in loadbalancer.xml */
} zdu_policy_instance;

/* The cluster a policy serves, for `init`. Valid only during the call: copy what you keep. */
typedef struct zdu_policy_cluster {
    zdu_policy_string name;               /* <cluster name="..."> */
    const zdu_policy_instance* instances; /* in loadbalancer.xml order */
    size_t instance_count;
} zdu_policy_cluster;

/* The request that starts a session. */
typedef struct zdu_policy_request {
    zdu_policy_string method;     /* "GET", "POST", ... */
    zdu_policy_string uri;        /* the path as httpd decoded it, without the query string */
    zdu_policy_string client_ip;  /* the client's address as httpd sees it (mod_remoteip) */
    zdu_policy_string session_id; /* the session cookie's value, else the ;jsessionid= value;
                                     empty when none (a moved session still carries its id) */
} zdu_policy_request;

/* An instance that can take the new session now: reachable, healthy, enabled, weight > 0,
 * not disabled by the manager. */
typedef struct zdu_policy_candidate {
    zdu_policy_string name;    /* the instance's name */
    zdu_policy_string route;   /* its route id */
    int index;                 /* its position in zdu_policy_cluster.instances */
    int weight;                /* its configured weight */
    uint64_t busy;             /* requests in flight to it, over all children (mod_proxy) */
    uint64_t response_time_us; /* moving average of its recent response times; 0: unknown */
} zdu_policy_candidate;

typedef struct zdu_policy_v1 {
    /* ZDU_POLICY_VERSION_1. */
    unsigned int version;

    /* A short name for the log; may be NULL. */
    const char* name;

    /* Optional (NULL: the state is NULL). Called once per load with the cluster; sets *state
     * to what `choose` and `destroy` get. Returns 0 on success. Otherwise it writes a
     * NUL-terminated reason of at most error_size bytes to `error`, releases what it
     * allocated (`destroy` is not called) and httpd does not start. */
    int (*init)(const zdu_policy_cluster* cluster, void** state, char* error, size_t error_size);

    /* Required. Returns the position in `candidates` (0 .. n-1) of the instance that gets the
     * session. Any other value means "no choice": mod_zdu then uses the cluster's round-robin
     * order. n is at least 1. */
    int (*choose)(const zdu_policy_request* request, const zdu_policy_candidate* candidates,
                  size_t n, void* state);

    /* Optional. Releases what `init` set up; called before the library is unloaded. */
    void (*destroy)(void* state);
} zdu_policy_v1;

/* What the library exports. */
typedef const zdu_policy_v1* (*zdu_policy_entry_fn)(void);
ZDU_POLICY_EXPORT const zdu_policy_v1* zdu_policy_entry(void);

#ifdef __cplusplus
}
#endif

#endif /* MOD_ZDU_POLICY_H */
