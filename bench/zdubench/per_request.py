"""Instructions per proxied request (--callgrind): httpd single-process (-X) under callgrind,
for mod_zdu, mod_proxy_balancer and the static file. Each setup runs twice with different
request counts; the difference divided by the extra requests cancels start-up and shutdown.

Figures, per request: the whole process; httpd's translate_name phase; mod_proxy's
ap_proxy_pre_request (mod_zdu's pre_request, or mod_proxy_balancer's selection — Debian strips
mod_proxy_balancer's static functions, so its selection is only visible through this caller);
ap_proxy_post_request (mod_proxy_balancer's bookkeeping); mod_zdu's own hooks and filter.
The 1M-tracked case is mod_zdu with a million prefilled sessions, one of them sent. The limit
(httpd proxying to one fixed backend, no balancer) is what every other case is measured
above: its sticky requests carry mod_zdu's cookies, which its backend ignores.

For mod_zdu, each hook's cost is what httpd's (or mod_proxy's) hook runner spent in mod_zdu's
functions: the callgrind call edge from ap_run_translate_name, proxy_run_pre_request, ... into
zdu::, so the hooks add up to mod_zdu's whole share of the request and nothing is counted
twice. Header work and session tracking run inside those hooks and are given apart."""
import contextlib
import os
from pathlib import Path

from . import harness_path  # noqa: F401
from . import callgrind, httpds, nginx, procs, sessions, targets
from harness import paths, process
from harness.client import Client

START_TIMEOUT = 120.0  # httpd under valgrind starts some 50 times slower
FIGURES = {
    "ap_run_translate_name": ("ap_run_translate_name",),
    "ap_proxy_pre_request": ("ap_proxy_pre_request",),
    "ap_proxy_post_request": ("ap_proxy_post_request",),
    "zdu translate_name": ("zdu::glue::translate_name",),
    "zdu pre_request": ("zdu::glue::pre_request",),
    "zdu post_request": ("zdu::glue::post_request",),
}
FILTER = ("zdu::glue::", "response_filter(ap_filter_t")
CASES = ((targets.ZDU, "sticky"), (targets.ZDU_1M, "sticky"), (targets.ZDU, "new"),
         (targets.ZDU_1M, "new"),
         (targets.ZDU_ALL_HEADERS, "sticky"), (targets.ZDU_ALL_HEADERS, "new"),
         (targets.LIMIT, "sticky"), (targets.LIMIT, "new"),
         (targets.BALANCER, "sticky"),
         (targets.BALANCER, "new"), (targets.STATIC, "static"))
ZDU_TARGETS = (targets.ZDU, targets.ZDU_1M, targets.ZDU_ALL_HEADERS)
ZDU = "zdu::"
# mod_zdu's share of a request, hook by hook: (label, the hook runners that call into it). The
# four manager/status handlers decline every proxied request; mod_zdu's request-pool cleanups
# (the generation it pinned, the busy count) run when httpd destroys the request.
HOOK_RUNNERS = (
    ("translate_name", ("ap_run_translate_name",)),
    ("handlers (declining)", ("ap_run_handler",)),
    ("pre_request", ("proxy_run_pre_request",)),
    ("backend headers (proxy fixups)", ("proxy_run_fixups",)),
    ("post_request", ("proxy_run_post_request",)),
    ("request_status", ("proxy_run_request_status",)),
    ("log_transaction", ("ap_run_log_transaction",)),
    ("request pool cleanups", ("apr_pool_destroy", "apr_pool_clear")),
)
FILTER_OWN = "response filter (own)"
# Work inside the hooks above, inclusive: (label, [(function pattern, the hook it runs in)]).
HOOK_PARTS = (
    ("header work", (("zdu::glue::strip_client_proxy_headers(", "translate_name"),
                     ("zdu::glue::set_backend_headers(", "backend headers (proxy fixups)"))),
    ("session tracking", (("zdu::glue::look_up_session(", "translate_name"),
                          ("zdu::glue::note_routed_session(", "pre_request"),
                          ("zdu::glue::learn_from_response(", FILTER_OWN))),
)
# What reads the clock: APR's apr_time_now (httpd, mod_proxy, mod_zdu) and libc's clocks
# (std::chrono). Counted as calls, which the vDSO hides from strace.
TIME_FUNCTIONS = ("apr_time_now", "clock_gettime", "gettimeofday", "time")
# One profile per thread, so that httpd's background threads can be left out: mod_watchdog's
# callbacks (among them mod_zdu's session sweep and reload poll, whose work grows with the
# cluster and is paced by the clock, not by requests) land unevenly in the two runs of a case,
# which their difference would then count as per-request work.
COLLECT = ("--separate-threads=yes",)
# The threads that serve: the main one (start-up, which also calls the watchdog callbacks once),
# the worker threads (they run connections) and the event MPM's listener (it polls). Any other
# is background: mod_watchdog's threads, also one that had no callback due within a run (which
# would otherwise count in one run of a case and not in the other).
SERVING = ("main", "ap_run_process_connection", "apr_pollset_poll")


def _background(profile):
    names = profile.inclusive_by_name
    return not any(name in names for name in SERVING)


def _serving_threads(out):
    """The process's profile without its background threads: the sum of its threads' files
    (callgrind writes <out>-<thread>), less mod_watchdog's threads."""
    profiles = [callgrind.read(path) for path in sorted(out.parent.glob(out.name + "-*"))]
    return callgrind.merge([p for p in profiles if not _background(p)])


# Backend connections kept for the whole run, as the limit's and mod_proxy_balancer's are:
# mod_zdu's default connection TTL (15 s) would reopen them on the clock, and a run under
# callgrind takes about that long, so the two runs of a case would pay a differing number of
# connects.
KEEP_CONNECTIONS = {"zdu-connection-ttl-in-seconds": "0"}


def _httpd(target, root, ports):
    # One child with few threads: callgrind runs threads one at a time anyway.
    if target == targets.ZDU_1M:
        return httpds.prefilled_httpd(root, ports, servers=1, threads=4,
                                      properties={**httpds.SLOW_SWEEP, **KEEP_CONNECTIONS})
    if target in ZDU_TARGETS or target == targets.STATIC:  # the static file: mod_zdu's httpd
        make = (httpds.all_headers_zdu_httpd if target == targets.ZDU_ALL_HEADERS
                else httpds.zdu_httpd)
        return make(root, ports, servers=1, threads=4, properties=KEEP_CONNECTIONS)
    make = {targets.BALANCER: httpds.balancer_httpd,
            targets.LIMIT: httpds.limit_httpd}[target]
    return make(root, ports, servers=1, threads=4)


def _path(workload):
    return {"sticky": nginx.PAGE_PATH, "new": nginx.LOGIN_PATH,
            "static": httpds.STATIC_PATH}[workload]


def _sticky_cookie(httpd, target, instances, ports, zdu_cookie):
    """The sticky request's Cookie header: a login's through this server. The limit sends
    mod_zdu's (its backend ignores them) or, without one, its own login's with a JROUTE as
    long as mod_zdu's."""
    if target == targets.LIMIT and zdu_cookie:
        return zdu_cookie
    found = sessions.login_all_routes(targets.Target(target, httpd.base_url,
                                                     targets.ROUTE_OF[target]), instances)
    if target == targets.LIMIT:
        return f"{found[0].header()}; JROUTE=abcdefgh"
    if target == targets.ZDU_1M:
        # A prefilled session of the instance that login reached (BENCH<n> is on instance
        # n % N; instance k listens on ports[k]), far into the table.
        k = ports.index(found[0].port)
        n = (httpds.PREFILLED_SESSIONS // 2 // instances) * instances + k
        return (f"{nginx.SESSION_COOKIE}={httpds.prefilled_id(n)}; "
                f"JROUTE={found[0].cookies['JROUTE']}")
    return found[0].header()


def _send(httpd, target, workload, count, instances, ports, zdu_cookie=None):
    """Sends `count` requests; returns the Cookie header they carried (None: none)."""
    with Client(httpd.base_url) as client:
        cookie = None
        if workload == "sticky":
            cookie = _sticky_cookie(httpd, target, instances, ports, zdu_cookie)
        for _ in range(count):
            client.jar.clear()
            headers = {"Cookie": cookie} if cookie else None
            client.get(_path(workload), headers=headers)
        return cookie


def _profile_run(target, workload, count, root, ports, sent):
    """Starts httpd -X under callgrind, sends `count` requests, stops it; the profile."""
    httpd = _httpd(target, root, ports)
    out = root / "callgrind.out"
    os.chmod(root, 0o777)  # httpd writes the profile after dropping to www-data
    httpd_cmd = [str(paths.apache2()), "-X", "-d", str(httpd.root), "-f", str(httpd.conf_path)]
    cmd = callgrind.command(out, ["--vgdb=no", *COLLECT]) + httpd_cmd
    prefilled = target == targets.ZDU_1M
    # httpd listens before post_config: the prefilled one is ready once ZDU0086 says it is
    # done (a million inserts take a while under callgrind), not when the port opens.
    def ready():
        if prefilled and not httpds.prefill_report(httpd.root / "error.log"):
            return False
        return process.port_open(httpd.port)

    with httpds.prefill_environment() if prefilled else contextlib.nullcontext():
        proc = procs.start(cmd, root / "valgrind.log", ready, f"httpd -X ({target})",
                           START_TIMEOUT)
    try:
        cookie = _send(httpd, target, workload, count, len(ports), ports, sent.get(targets.ZDU))
    finally:
        procs.stop(proc, timeout=60.0)
    if target == targets.ZDU and cookie:
        sent[targets.ZDU] = cookie
    return _serving_threads(out)


def zdu_hooks(profile):
    """{hook label: Ir} of mod_zdu's share of a profile, and its parts (HOOK_PARTS)."""
    hooks = {label: sum(profile.entered_from(runner, ZDU) for runner in runners)
             for label, runners in HOOK_RUNNERS}
    # The filter passes the response on: what the later filters and the network cost is not
    # the filter's own.
    hooks[FILTER_OWN] = profile.inclusive_without(FILTER, "ap_pass_brigade")
    parts = {}
    for label, functions in HOOK_PARTS:
        for pattern, _ in functions:
            parts[f"{label}: {pattern.split('::')[-1].rstrip('(')}"] = profile.inclusive(pattern)
    return hooks, parts


def time_calls(profile):
    """{function: calls} of the clock functions, and of apr_time_now's calls those of
    mod_zdu's own functions."""
    out = {name: profile.calls_to(name) for name in TIME_FUNCTIONS}
    out["apr_time_now by mod_zdu"] = sum(n for caller, n in
                                         profile.calls_by_caller("apr_time_now").items()
                                         if ZDU in caller)
    return out


def _difference(before, after, extra):
    return {k: (after.get(k, 0) - before.get(k, 0)) / extra for k in after}


def _case(target, workload, workdir, ports, counts, sent=None):
    sent = {} if sent is None else sent
    runs = [_profile_run(target, workload, n, workdir / f"{target}-{workload}-{n}", ports,
                         sent) for n in counts]
    extra = counts[1] - counts[0]

    def per_request(measure):
        return (measure(runs[1]) - measure(runs[0])) / extra

    row = {"target": target, "workload": workload, "instances": len(ports),
           "total": per_request(lambda p: p.total)}
    for label, patterns in FIGURES.items():
        row[label] = per_request(lambda p: p.inclusive(*patterns))
    # The filter passes the response on: what the later filters and the network cost is not
    # the filter's own.
    row["zdu response filter (own)"] = per_request(
        lambda p: p.inclusive_without(FILTER, "ap_pass_brigade"))
    row["zdu_functions"] = _zdu_functions(runs, extra)
    row["self"] = _self_per_request(runs, extra)
    row["time_calls"] = _difference(time_calls(runs[0]), time_calls(runs[1]), extra)
    if target in ZDU_TARGETS:
        (h0, p0), (h1, p1) = zdu_hooks(runs[0]), zdu_hooks(runs[1])
        row["zdu_hooks"] = _difference(h0, h1, extra)
        row["zdu_hook_parts"] = _difference(p0, p1, extra)
    return row


def _zdu_functions(runs, extra, limit=12):
    """mod_zdu's own functions (with what they call), inclusive, per request."""
    before, after = runs[0].inclusive_by_name, runs[1].inclusive_by_name
    # The filter's inclusive count holds every filter after it: its own is reported apart.
    rows = [(name, (count - before.get(name, 0)) / extra) for name, count in after.items()
            if "zdu::" in name and "response_filter(" not in name]
    rows = sorted((r for r in rows if r[1] >= 1), key=lambda r: -r[1])
    return [{"function": n, "instructions": round(c)} for n, c in rows[:limit]]


def _self_per_request(runs, extra):
    before, after = runs[0].self_by_name, runs[1].self_by_name
    return {name: (after.get(name, 0) - before.get(name, 0)) / extra
            for name in set(before) | set(after)}


def where_zdu_differs(rows, limit=15):
    """Per workload: the functions whose own instructions per request differ most between
    mod_zdu and mod_proxy_balancer, with the difference's share of the total gap."""
    by = {(r["target"], r["workload"], r["instances"]): r for r in rows}
    out = []
    for (target, workload, n), zdu in by.items():
        peer = by.get((targets.BALANCER, workload, n))
        if target != targets.ZDU or not peer:
            continue
        names = set(zdu["self"]) | set(peer["self"])
        deltas = sorted(((zdu["self"].get(k, 0) - peer["self"].get(k, 0), k) for k in names),
                        key=lambda d: -abs(d[0]))
        gap = zdu["total"] - peer["total"]
        out.append({"workload": workload, "instances": n, "gap": gap,
                    "functions": [{"function": k, "delta": round(d),
                                   "zdu": round(zdu["self"].get(k, 0)),
                                   "balancer": round(peer["self"].get(k, 0))}
                                  for d, k in deltas[:limit]]})
    return out


def run(workdir, backend_ports, counts, instance_counts, log):
    results, sent = [], {}
    for n in instance_counts:
        for target, workload in CASES:
            log(f"callgrind: {target} {workload} at {n} instances "
                f"({counts[0]} and {counts[1]} requests)")
            try:
                results.append(_case(target, workload, Path(workdir) / f"{n}",
                                     backend_ports[:n], counts, sent))
            except procs.ServerError as e:
                log(f"callgrind: {target} {workload} skipped: {e}")
    differs = where_zdu_differs(results)
    for row in results:
        del row["self"]  # thousands of entries; only the differences are reported
    return results, differs
