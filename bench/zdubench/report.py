"""The printed tables and the target summary. Figures only: no threshold fails the run."""
from . import targets

ZDU = targets.ZDU
LIMIT = targets.LIMIT
ZDU_ROWS = (targets.ZDU, targets.ZDU_1M, targets.ZDU_ALL_HEADERS)


def _table(headers, rows):
    rows = [[str(c) for c in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in
                      enumerate(zip(r, widths))) for r in rows]
    return "\n".join(out)


def _short(name, width=70):
    """A C++ name without its parameter list, so tables stay readable."""
    anon = "(anonymous namespace)"
    bare = name.replace(anon, "{anon}").split("(")[0].replace("{anon}", anon)
    bare = bare.replace("[abi:cxx11]", "")
    return bare if len(bare) <= width else "…" + bare[-(width - 1):]


def _ratio(a, b):
    return a / b if a and b else None


def _round_ratios(a, b, key):
    """a/b for each round, sorted; empty when the two rows have no runs of equal count."""
    ra, rb = (a or {}).get(f"runs_{key}"), (b or {}).get(f"runs_{key}")
    if not (ra and rb and len(ra) == len(rb)):
        return []
    return sorted(x / y for x, y in zip(ra, rb) if x and y)


def _paired(a, b, key):
    """Median over rounds of a/b, each round's pair measured minutes apart at most: drift of
    the machine cancels better than in a ratio of medians. Falls back to that without runs."""
    ratios = _round_ratios(a, b, key)
    if ratios:
        mid = len(ratios) // 2
        return ratios[mid] if len(ratios) % 2 else (ratios[mid - 1] + ratios[mid]) / 2
    field = {"rps": "rps", "cpu_us": "cpu_us_per_request"}[key]
    return _ratio(a and a.get(field), b and b.get(field))


def _fmt_ratio(r):
    return f"{r:.2f}x" if r is not None else "-"


def _paired_range(a, b, key):
    """Lowest and highest per-round ratio: how far one round can stray from the median."""
    ratios = _round_ratios(a, b, key)
    return (ratios[0], ratios[-1]) if ratios else None


def _fmt_paired(a, b, key):
    r, ratios = _paired(a, b, key), _round_ratios(a, b, key)
    if r is None or len(ratios) < 2:
        return _fmt_ratio(r)
    return f"{r:.2f}x ({ratios[0]:.2f}-{ratios[-1]:.2f})"


def _zdu_row_for(by, row):
    """The mod_zdu row a row is compared with: the same workload; the static file with sticky."""
    return by.get((ZDU, row["workload"] if row["workload"] != "static" else "sticky"))


def _limit_row_for(by, row):
    """The limit row of the same workload, for every proxied row but the limit itself."""
    if row["target"] in (LIMIT, targets.STATIC, targets.DIRECT):
        return None
    return by.get((LIMIT, row["workload"]))


def _cpu(row):
    return row and row.get("cpu_us_per_request")


def compare_table(rows):
    by = {(r["target"], r["workload"]): r for r in rows}
    with_limit = any(r["target"] == LIMIT for r in rows)
    out = []
    for r in rows:
        zdu, limit = _zdu_row_for(by, r), _limit_row_for(by, r)
        mine = r["target"] == ZDU
        rps_ratio = "-" if mine else _fmt_paired(zdu, r, "rps")
        cpu_ratio = "-" if mine else _fmt_paired(r, zdu, "cpu_us")
        line = [f'{r["target"]} {r["workload"]}', f'{r["rps"]:.0f}', f'{r["p50_ms"]:.2f}',
                f'{r["p99_ms"]:.2f}', f'{_cpu(r) or 0:.1f}',
                f'{r.get("user_us_per_request") or 0:.1f}', r["errors"], rps_ratio, cpu_ratio]
        if with_limit:
            line += (["-", "-"] if limit is None else
                     [_fmt_paired(r, limit, "rps"), _fmt_paired(r, limit, "cpu_us")])
        out.append(line)
    headers = ["row (2 instances)", "req/s", "p50 ms", "p99 ms", "CPU us/req", "of it user",
               "errors", "req/s: mod_zdu / row", "CPU: row / mod_zdu"]
    if with_limit:
        headers += ["req/s: row / limit", "CPU: row / limit"]
    note = "ratios: median of the per-round ratios (lowest-highest round)"
    if with_limit:
        note += ("; limit: httpd proxying to one fixed backend with no balancer, same "
                 "workload")
    return note + "\n" + _table(headers, out)


def curve_table(rows, key, label):
    """One line per instance (or session) count: each proxy's (and the limit's) req/s and CPU
    per request, and mod_zdu against mod_proxy_balancer and against the limit on both."""
    by = {(r["target"], r["workload"], r[key]): r for r in rows}
    workloads = [w for w in ("sticky", "new") if any(r["workload"] == w for r in rows)]
    names = ((LIMIT,) if any(r["target"] == LIMIT for r in rows) else ()) + targets.PROXIES
    cols = [(t, w) for w in workloads for t in names]
    peers = [p for p in (targets.BALANCER, LIMIT) if p in names]
    out = []
    for k in sorted({r[key] for r in rows}):
        cells = [by.get((t, w, k)) for t, w in cols]
        line = [k] + [f'{c["rps"]:.0f} ({_cpu(c) or 0:.0f})' if c else "-" for c in cells]
        for peer in peers:
            for w in workloads:
                z, b = by.get((ZDU, w, k)), by.get((peer, w, k))
                line.append(f'{_fmt_ratio(_paired(z, b, "rps"))} / '
                            f'{_fmt_ratio(_paired(b, z, "cpu_us"))}')
        out.append(line)
    short = {targets.BALANCER: "balancer", LIMIT: "limit"}
    headers = ([label] + [f"{t} {w}" for t, w in cols] +
               [f"zdu vs {short[p]} {w}" for p in peers for w in workloads])
    return ("req/s (CPU us per request); zdu vs X: req/s mod_zdu / X and CPU X / mod_zdu "
            "(>1: mod_zdu better; against the limit, 1 is the most it can reach)\n" +
            _table(headers, out))


def memory_table(rows):
    mb = 1024.0
    out = [[r["target"], r["instances"], r["processes"], f'{r["rss_kb"] / mb:.1f}',
            f'{r["pss_kb"] / mb:.1f}', f'{r["shm_kb"] / mb:.2f}', f'{r["shm_rss_kb"] / mb:.2f}']
           for r in rows]
    return _table(["server", "instances", "processes", "RSS MB (sum)", "PSS MB (sum)",
                   "shm MB (size)", "shm MB (resident)"], out)


def _ms(value):
    return "-" if value is None else f"{value:.2f}"


def _latencies(flight):
    flight = flight or {}
    return (f'{_ms(flight.get("p50_ms"))} / {_ms(flight.get("p99_ms"))} / '
            f'{_ms(flight.get("max_ms"))}, {flight.get("errors", "-")}')


def reload_table(r):
    """One reload row: cmd=reload until live, each child's switch (its own ZDU0103 figure and
    the first request after it), requests in flight meanwhile, the children's RSS."""
    rows = [
        ["cmd=reload until live (p50 / max ms)",
         f'{_ms(r["reload_ms_p50"])} / {_ms(r["reload_ms_max"])}'],
        ["read, check and build in the publishing child, ZDU0100 (p50 / max ms)",
         f'{_ms(r.get("publish_ms_p50"))} / {_ms(r.get("publish_ms_max"))}'],
        [f'switch of one child, ZDU0103 (p50 / max ms, {r.get("switches", 0)} switches)',
         f'{_ms(r.get("switch_ms_p50"))} / {_ms(r.get("switch_ms_max"))}'],
        ["  of it CPU time of the switching thread (p50 / max ms)",
         f'{_ms(r.get("switch_cpu_ms_p50"))} / {_ms(r.get("switch_cpu_ms_max"))}'],
        ["first request per child after it, beyond its median (p50 / max ms)",
         f'{_ms(r["first_request_extra_ms_p50"])} / {_ms(r["first_request_extra_ms_max"])}'],
        ["request median without reloads (ms)", _ms(r.get("baseline_ms"))],
        ["4 clients, no reload (p50 / p99 / max ms, errors)", _latencies(r.get("without_reloads"))],
        ["4 clients, reloads back to back (p50 / p99 / max ms, errors)",
         _latencies(r.get("in_flight"))],
        [f'RSS of the children, start -> after {r["rss_reloads"]} reloads (MB, sum)',
         f'{r["rss_kb_start"] / 1024:.1f} -> {r["rss_kb_end"] / 1024:.1f}'],
        ["largest growth of one child over the second half of the reloads (kB)",
         r["rss_growth_kb_per_child_max"]],
    ]
    samples = [[sample["reloads"], " ".join(f"{kb / 1024:.1f}" for kb in sample["rss_kb"])]
               for sample in r.get("rss_samples", [])]
    return (f'{r["instances"]} instances, {r["children"]} children, {r["reloads_timed"]} timed '
            f"reloads (each changes one weight)\n" + _table(["", "measured"], rows) + "\n\n" +
            _table(["reloads", "RSS MB of each child"], samples))


def _reload_checks(r):
    if not r:
        return []
    ms = r.get("switch_ms_max")
    if ms is None:
        ms = r["first_request_extra_ms_max"]
    growth = r["rss_growth_kb_per_child_max"]
    return [("1,000-instance reload: switch of one child, ms (max)", ms, "<= 20",
             ms and 20 / max(ms, 1e-9), 1.0),
            (f'child RSS growth, 2nd half of {r["rss_reloads"]} reloads, kB', growth, "<= 1024",
             None if growth is None else 1024 / max(growth, 1e-9), 1.0)]


def reload_latency_table(r):
    """The reload-every-second row: p50 / p99 with and without, and the p99 ratio."""
    rng = r.get("p99_ratio_range")
    ratio = _fmt_ratio(r.get("p99_ratio"))
    if rng and r.get("rounds", 0) > 1:
        ratio += f" ({rng[0]:.2f}-{rng[1]:.2f})"
    rows = [["no reload", f'{r["rps_without"]:.0f}', _ms(r["p50_without_ms"]),
             _ms(r["p99_without_ms"])],
            ["a reload every second", f'{r["rps_with"]:.0f}', _ms(r["p50_with_ms"]),
             _ms(r["p99_with_ms"])]]
    return (f'mod_zdu, {r["instances"]} instances, sticky, {r["rounds"]} rounds of '
            f'{r["seconds"]} s each way (medians); {r["reloads"]} reloads done, '
            f'{r["reloads_refused"]} refused, {r["errors"]} errors\n' +
            _table(["", "req/s", "p50 ms", "p99 ms"], rows) +
            f"\np99 with reloads / without: {ratio} (median of the per-round ratios)")


def failover_table(r):
    """Requests retried after a reset against those of an httpd with no failing instance."""
    clean, retried, extra = r["clean"], r["retried"], r["extra"]
    rows = [["healthy instances", clean["requests"], _ms(clean["p50_ms"]), _ms(clean["p99_ms"])],
            ["i1 resets, retried on i2", retried["requests"], _ms(retried["p50_ms"]),
             _ms(retried["p99_ms"])],
            ["extra latency of a retried request", "", _ms(extra["p50_ms"]),
             _ms(extra["p99_ms"])]]
    return (f'mod_zdu, {r["instances"]} instances, sequential new sessions, a connection each; '
            f'{r["failed"]} failed, {r.get("not_retried", 0)} of the failing httpd\'s met no '
            f'reset; mod_zdu counted {r["retries_counted_by_mod_zdu"]} retries\n' +
            _table(["requests", "count", "p50 ms", "p99 ms"], rows))


def syscalls_table(rows, top=10):
    """System calls per request, by name, for each server; the top ones by mod_zdu's (else
    the first server's) count."""
    if not rows:
        return ""
    by = {r["target"]: {s["name"]: s for s in r["syscalls"]} for r in rows}
    lead = by.get(ZDU) or by[rows[0]["target"]]
    names = sorted(set().union(*by.values()),
                   key=lambda n: (-(lead.get(n) or {}).get("per_request", 0), n))[:top]

    def cell(target, name):
        s = by[target].get(name)
        if not s:
            return "0"
        errors = f' ({s["errors_per_request"]:.2f} err)' if s["errors_per_request"] else ""
        return f'{s["per_request"]:.2f}{errors}'

    out = [[name] + [cell(r["target"], name) for r in rows] for name in names]
    out.append(["all system calls"] + [f'{r["total_per_request"]:.2f}' for r in rows])
    out.append(["of them reading a clock"] +
               [f'{r["time_calls_per_request"]:.2f}' for r in rows])
    requests = rows[0]["requests"]
    return (f"strace -c -f on the one child, {requests} sequential sticky requests on one "
            "connection; per request (errors: EAGAIN and the like). clock_gettime and "
            "gettimeofday run in the vDSO and never show here: see the callgrind time calls\n"
            + _table(["syscall"] + [r["target"] for r in rows], out))


def _reload_latency_checks(r):
    if not r or r.get("p99_ratio") is None:
        return []
    ratio = r["p99_ratio"]
    return [("p99 with a reload every second / without (2 inst.)", ratio, "<= 1.2",
             1.2 / ratio if ratio else None, 1.0)]


SESSION_FIND = "BM_SessionFind/"
SESSION_INSERT = "BM_SessionInsert/"
SESSION_SWEEP = "BM_SessionSweep/"
SESSION_TABLE_BUDGET_MIB = 64.0
MILLION = 1_000_000


def _by_size(micro, prefix):
    return {int(b["name"][len(prefix):]): b for b in micro or [] if b["name"].startswith(prefix)}


def session_table_table(micro):
    """The session table at each size: ns and probes per lookup and per insert, the table's
    bytes; the issue promises probes that do not grow with the size and <= 64 MiB at 1M."""
    finds, inserts = _by_size(micro, SESSION_FIND), _by_size(micro, SESSION_INSERT)
    if not finds and not inserts:
        return ""

    def cells(b):
        if not b:
            return ["-", "-", "-"]
        return [f'{b["ns_per_op"]:.1f}', f'{b.get("probes_per_op", 0):.2f}',
                f'{b.get("max_probes", 0):.0f}']

    out = []
    for n in sorted(set(finds) | set(inserts)):
        b = finds.get(n) or inserts.get(n)
        mib = b.get("MiB")
        out.append([f"{n:,}"] + cells(finds.get(n)) + cells(inserts.get(n)) +
                   ["-" if mib is None else f"{mib:.2f}"])
    text = ("session table, 90 % full (inserts fill the last 10 %)\n" +
            _table(["sessions", "lookup ns", "probes/lookup", "max", "insert ns",
                    "probes/insert", "max", "MiB"], out))
    at_million = (finds.get(MILLION) or inserts.get(MILLION) or {}).get("MiB")
    if at_million is not None:
        text += (f"\nshared memory at {MILLION:,} sessions: {at_million:.1f} MiB "
                 f"({at_million * 1024 * 1024:,.0f} bytes; budget {SESSION_TABLE_BUDGET_MIB:.0f}"
                 " MiB)")
    sweep = _by_size(micro, SESSION_SWEEP)
    for n, b in sorted(sweep.items()):
        text += (f"\nsweep of {n:,} sessions (off the request path): "
                 f"{b['ns_per_op'] / 1e6:.1f} ms")
    return text


def micro_table(micro, decisions):
    out = [[b["name"], f'{b["ns_per_op"]:.1f}'] for b in micro or []]
    text = _table(["benchmark", "ns/op"], out) if out else "micro-benchmarks: not built"
    sessions = session_table_table(micro)
    if sessions:
        text += "\n\n" + sessions
    if decisions:
        rows = [[mode, f'{d["instructions"]:.0f}'] for mode, d in decisions.items()]
        text += "\n\n" + _table(["route decision at 1,000 instances (callgrind)",
                                 "instructions"], rows)
        worst = max(decisions, key=lambda m: decisions[m]["instructions"])
        rows = [[_short(f["function"]), f["instructions"]] for f in decisions[worst]["top"]]
        text += "\n\n" + _table([f"{worst}: inclusive per decision", "instructions"], rows)
    return text


PER_REQUEST_COLS = ("total", "ap_run_translate_name", "ap_proxy_pre_request",
                    "ap_proxy_post_request", "zdu translate_name", "zdu pre_request",
                    "zdu response filter (own)")


def _limit_totals(rows):
    """{(workload, instances): the limit's instructions per request}."""
    return {(r["workload"], r["instances"]): r["total"] for r in rows if r["target"] == LIMIT}


def per_request_table(rows):
    static = next((r["total"] for r in rows if r["target"] == targets.STATIC), None)
    limits = _limit_totals(rows)
    out = []
    for r in rows:
        over = f'{r["total"] - static:.0f}' if static is not None else "-"
        limit = limits.get((r["workload"], r["instances"]))
        above = "-" if limit is None or r["target"] == LIMIT else f'{r["total"] - limit:.0f}'
        out.append([f'{r["target"]} {r["workload"]} ({r["instances"]})'] +
                   [f"{r.get(c, 0):.0f}" for c in PER_REQUEST_COLS] + [over, above])
    return _table(["instructions per request"] + list(PER_REQUEST_COLS) +
                  ["total - static", "total - limit"], out)


INSTRUCTIONS_ABOVE_LIMIT_BUDGET = 2000


def above_limit(rows):
    """mod_zdu's cases (sticky, new, 1M tracked sticky) and mod_proxy_balancer's, each with
    its instructions per request above the limit of the same workload and instance count,
    and for mod_zdu mod_proxy_balancer's figure it must not exceed."""
    limits = _limit_totals(rows)
    balancer = {(r["workload"], r["instances"]): r["total"] for r in rows
                if r["target"] == targets.BALANCER}
    out = []
    for r in rows:
        if r["target"] not in ZDU_ROWS + (targets.BALANCER,):
            continue
        key = (r["workload"], r["instances"])
        limit = limits.get(key)
        if limit is None:
            continue
        entry = {"target": r["target"], "workload": r["workload"], "instances": r["instances"],
                 "total": r["total"], "limit": limit, "above_limit": r["total"] - limit}
        if r["target"] in ZDU_ROWS and key in balancer:
            entry["balancer_above_limit"] = balancer[key] - limit
        out.append(entry)
    return out


def above_limit_table(rows):
    out = []
    for a in above_limit(rows):
        peer = a.get("balancer_above_limit")
        mine = a["target"] in ZDU_ROWS
        out.append([f'{a["target"]} {a["workload"]} ({a["instances"]})', f'{a["total"]:.0f}',
                    f'{a["limit"]:.0f}', f'{a["above_limit"]:.0f}',
                    _met(a["above_limit"] <= INSTRUCTIONS_ABOVE_LIMIT_BUDGET) if mine else "-",
                    "-" if peer is None else f"{peer:.0f}",
                    "-" if peer is None else _met(a["above_limit"] <= peer)])
    return ("the limit: httpd proxying to one fixed backend, no balancer (same workload; its "
            "sticky requests carry mod_zdu's cookies)\n" +
            _table(["case (instances)", "total", "limit", "above the limit",
                    f"<= {INSTRUCTIONS_ABOVE_LIMIT_BUDGET:,}", "balancer above the limit",
                    "<= balancer"], out))


def _met(ok):
    return "met" if ok else "NOT met"


HOOKS = ("zdu translate_name", "zdu pre_request", "zdu post_request", "zdu response filter (own)")


def _hooks_part(r, above):
    """mod_zdu's hooks of one case, as the share of mod_zdu's own cost and of the request."""
    hooks = r["zdu_hooks"]
    mine = sum(hooks.values())
    lines = [[h, f"{v:.0f}", f"{v / mine:.0%}" if mine else "-", f"{v / r['total']:.1%}"]
             for h, v in hooks.items()]
    lines.append(["mod_zdu in all", f"{mine:.0f}", "100%" if mine else "-",
                  f"{mine / r['total']:.1%}"])
    parts = r.get("zdu_hook_parts") or {}
    groups = {}
    for name, v in parts.items():
        groups.setdefault(name.split(":")[0], []).append((name.split(": ", 1)[1], v))
    for group, members in groups.items():
        total = sum(v for _, v in members)
        lines.append([f"{group} (inside the hooks above)", f"{total:.0f}",
                      f"{total / mine:.0%}" if mine else "-", f"{total / r['total']:.1%}"])
        lines += [[f"  {name}", f"{v:.0f}", f"{v / mine:.0%}" if mine else "-",
                   f"{v / r['total']:.1%}"] for name, v in members]
    head = (f'{r["target"]} {r["workload"]} at {r["instances"]} instances: mod_zdu '
            f'{mine:.0f} of {r["total"]:.0f} instructions per request')
    if above is not None:
        head += (f"; {above:.0f} above the limit, {above - mine:.0f} of them outside mod_zdu's "
                 "functions (httpd's work on what mod_zdu adds, such as writing its headers)")
    return head + "\n" + _table(["hook (what httpd's hook runner spent in mod_zdu)",
                                  "instructions", "of mod_zdu", "of request"], lines)


def zdu_breakdown_table(rows):
    """Per mod_zdu case: each hook's share of mod_zdu's cost (and of the request), the header
    work and session tracking inside them, then mod_zdu's largest functions."""
    parts = []
    limits = _limit_totals(rows)
    for r in rows:
        if r["target"] not in ZDU_ROWS:
            continue
        limit = limits.get((r["workload"], r["instances"]))
        text = ""
        if r.get("zdu_hooks"):
            text = _hooks_part(r, None if limit is None else r["total"] - limit) + "\n\n"
        if r["target"] == ZDU:
            text += _functions_part(r)
        parts.append(text.rstrip())
    return "\n\n".join(parts)


def _functions_part(r):
    hooks = sum(r.get(h, 0) for h in HOOKS)
    lines = [[h, f"{r.get(h, 0):.0f}", f"{r.get(h, 0) / hooks:.0%}" if hooks else "-",
              f"{r.get(h, 0) / r['total']:.1%}"] for h in HOOKS]
    lines += [[f"  {_short(f['function'])}", f["instructions"],
               f"{f['instructions'] / hooks:.0%}" if hooks else "-",
               f"{f['instructions'] / r['total']:.1%}"]
              for f in r.get("zdu_functions", []) if not f["function"].startswith(
                  ("zdu::glue::translate_name", "zdu::glue::pre_request"))]
    return (f'{r["workload"]} at {r["instances"]} instances: mod_zdu\'s main hooks '
            f'{hooks:.0f} of {r["total"]:.0f} instructions per request, its largest functions\n' +
            _table(["function (inclusive)", "instructions", "of hooks", "of request"], lines))


def time_calls_table(rows):
    """Clock reads per request (callgrind: calls, which the vDSO hides from strace)."""
    names = []
    for r in rows:
        names += [k for k in r.get("time_calls", {}) if k not in names]
    if not names:
        return ""
    out = [[f'{r["target"]} {r["workload"]} ({r["instances"]})'] +
           [f'{r.get("time_calls", {}).get(n, 0):.1f}' for n in names] for r in rows]
    return ("calls per request of the functions that read the clock (apr_time_now: httpd, "
            "mod_proxy and mod_zdu; libc's clocks directly)\n" +
            _table(["case (instances)"] + names, out))


def differences_table(diffs):
    parts = []
    for d in diffs:
        rows = [[_short(f["function"]), f["delta"], f["zdu"], f["balancer"]]
                for f in d["functions"]]
        parts.append(f'{d["workload"]} at {d["instances"]} instances: mod_zdu uses '
                     f'{d["gap"]:+.0f} instructions per request vs mod_proxy_balancer\n' +
                     _table(["function (own instructions)", "delta", "mod_zdu",
                             "balancer"], rows))
    return "\n\n".join(parts)


def _micro_ns(micro, name):
    return next((b["ns_per_op"] for b in micro or [] if b["name"] == name), None)


def target_checks(results):
    """[(target, measured, goal, met)] for the figures the issue sets goals for."""
    rows = {(r["target"], r["workload"]): r for r in results.get("compare", [])}
    checks = []
    for w in ("sticky", "new"):
        zdu, peer = rows.get((ZDU, w)), rows.get((targets.BALANCER, w))
        if zdu and peer:
            checks.append(_not_below_check(f"req/s mod_zdu / mod_proxy_balancer, {w} (2 inst.)",
                                           zdu, peer))
        limit = rows.get((LIMIT, w))
        if zdu and limit:
            r = _paired(zdu, limit, "rps")
            checks.append((f"req/s mod_zdu / limit, {w} (2 inst.)", r, ">= 0.97", r, 0.97))
    checks += _scale_checks(results.get("scale") or [])
    checks += _above_limit_checks(results.get("per_request") or [])
    micro = results.get("micro")
    for name in ("BM_ParseDecideSticky/1000", "BM_DecideSticky/1000", "BM_DecideNew/1000"):
        ns = _micro_ns(micro, name)
        checks.append((f"{name} ns", ns, "<= 300", ns and 300 / ns, 1.0))
    for mode, d in (results.get("decision_instructions") or {}).items():
        n = d["instructions"]
        checks.append((f"instructions per decision ({mode}, 1,000 inst.)", n, "<= 2000",
                       2000 / n if n else None, 1.0))
    ms = (_micro_ns(micro, "BM_LoadFile/1000") or 0) / 1e6 or None
    checks.append(("1,000-instance xml load, ms", ms, "<= 20", ms and 20 / ms, 1.0))
    checks += _session_table_checks(micro)
    checks += _reload_checks(results.get("reload"))
    checks += _reload_latency_checks(results.get("reload_latency"))
    return [(label, value, goal, None if score is None else score >= bar)
            for label, value, goal, score, bar in checks]


def _not_below_check(label, zdu, peer):
    """mod_zdu not below the peer beyond the round-to-round spread: the median of the
    per-round req/s ratios at least 1 less half the spread of those ratios (lowest to
    highest round)."""
    r, spread = _paired(zdu, peer, "rps"), _paired_range(zdu, peer, "rps")
    half = (spread[1] - spread[0]) / 2 if spread else 0.0
    goal = f">= {1 - half:.2f} (1 - half the spread"
    goal += f" {spread[0]:.2f}-{spread[1]:.2f})" if spread else ")"
    return (label, r, goal, None if r is None else r + half, 1.0)


SCALE_TARGET_INSTANCES = (100, 1000)


def _scale_checks(rows):
    """mod_zdu >= 1.05x mod_proxy_balancer's req/s at 100 and 1,000 instances (those the run
    measured)."""
    by = {(r["target"], r["workload"], r["instances"]): r for r in rows}
    checks = []
    for n in SCALE_TARGET_INSTANCES:
        for w in ("sticky", "new"):
            zdu, peer = by.get((ZDU, w, n)), by.get((targets.BALANCER, w, n))
            if zdu and peer:
                r = _paired(zdu, peer, "rps")
                checks.append((f"req/s mod_zdu / mod_proxy_balancer, {w}, {n:,} inst.", r,
                               ">= 1.05", r, 1.05))
    return checks


def _session_table_checks(micro):
    """Probes per operation at 1M over those at 10k (constant: <= 1.1x), and bytes at 1M."""
    checks = []
    for label, prefix in (("lookup", SESSION_FIND), ("insert", SESSION_INSERT)):
        by = _by_size(micro, prefix)
        small, large = by.get(10_000), by.get(MILLION)
        if small and large and small.get("probes_per_op"):
            r = large["probes_per_op"] / small["probes_per_op"]
            checks.append((f"session-table probes per {label}, 1M / 10k sessions", r,
                           "<= 1.1", 1.1 / r if r else None, 1.0))
    b = _by_size(micro, SESSION_FIND).get(MILLION) or _by_size(micro, SESSION_INSERT).get(MILLION)
    if b and b.get("MiB") is not None:
        mib = b["MiB"]
        checks.append(("session table at 1M sessions, MiB", mib, "<= 64",
                       SESSION_TABLE_BUDGET_MIB / mib if mib else None, 1.0))
    return checks


def _above_limit_checks(rows):
    """Instructions per request above the limit (callgrind, which other load on the machine
    does not move): mod_zdu's <= 2,000 and never more than mod_proxy_balancer's."""
    checks = []
    for a in above_limit(rows):
        if a["target"] not in ZDU_ROWS:
            continue
        case = f'{a["target"]} {a["workload"]}, {a["instances"]:,} inst.'
        above = a["above_limit"]
        budget = INSTRUCTIONS_ABOVE_LIMIT_BUDGET
        checks.append((f"instructions/req above the limit, {case}", above, f"<= {budget}",
                       budget / above if above > 0 else float("inf"), 1.0))
        peer = a.get("balancer_above_limit")
        if peer is not None:
            checks.append((f"instructions/req above the limit, {case}: mod_zdu / balancer",
                           above / peer if peer > 0 else None, "<= 1",
                           peer / above if above > 0 else float("inf"), 1.0))
    return checks


def targets_table(checks):
    out = [[label, "-" if v is None else f"{v:.3g}" if v < 10 else f"{v:.0f}", goal,
            {True: "met", False: "NOT met", None: "-"}[met]] for label, v, goal, met in checks]
    return _table(["target", "measured", "goal", ""], out)


ROUTING_COLS = ("ap_run_translate_name", "ap_proxy_pre_request", "ap_proxy_post_request")


def routing_ceilings(results):
    """How much faster than mod_proxy_balancer any balancer can be by routing alone: its
    routing hooks' share of the user-space instructions (callgrind) times user time's share of
    its CPU (the compare rows). A CPU-bound request cannot gain more than that share."""
    cpu = {r["workload"]: r for r in results.get("compare", [])
           if r["target"] == targets.BALANCER}
    out = []
    for r in results.get("per_request") or []:
        row = cpu.get(r["workload"])
        if r["target"] != targets.BALANCER or r["instances"] != 2 or not row:
            continue
        if not (r["total"] and row.get("cpu_us_per_request")):
            continue
        routing = sum(r[c] for c in ROUTING_COLS) / r["total"]
        user = (row.get("user_us_per_request") or 0) / row["cpu_us_per_request"]
        out.append({"workload": r["workload"], "routing_share": routing, "user_share": user,
                    "ceiling": 1 / (1 - routing * user)})
    return out


def ceilings_table(ceilings):
    rows = [[c["workload"], f'{c["routing_share"]:.1%}', f'{c["user_share"]:.0%}',
             f'{c["ceiling"]:.3f}x'] for c in ceilings]
    return ("mod_proxy_balancer's routing hooks (translate, pre_request, post_request) as a share "
            "of its request:\n" +
            _table(["workload", "of user instructions", "user share of CPU",
                    "req/s ceiling if routing were free"], rows))


def json_summary(results):
    """The comparison as JSON: each row's figures, mod_zdu's paired req/s ratio to it, and the
    row's paired ratios to the limit of its workload (req/s and CPU per request)."""
    rows = results.get("compare") or []
    by = {(r["target"], r["workload"]): r for r in rows}
    out = []
    for r in rows:
        zdu, limit = _zdu_row_for(by, r), _limit_row_for(by, r)
        entry = {k: _rounded(r[k]) for k in ("target", "workload", "rps", "p50_ms", "p99_ms",
                                             "cpu_us_per_request", "errors")}
        if r["target"] != ZDU:
            entry["mod_zdu_over_row"] = _rounded(_paired(zdu, r, "rps"))
            entry["mod_zdu_over_row_range"] = _rounded(_paired_range(zdu, r, "rps"))
        if limit is not None:
            entry["over_limit"] = _rounded(_paired(r, limit, "rps"))
            entry["over_limit_range"] = _rounded(_paired_range(r, limit, "rps"))
            entry["cpu_over_limit"] = _rounded(_paired(r, limit, "cpu_us"))
        out.append(entry)
    summary = {"compare": out,
               "targets": [{"target": t, "measured": _rounded(v), "goal": g, "met": m}
                           for t, v, g, m in target_checks(results)]}
    above = above_limit(results.get("per_request") or [])
    if above:
        summary["instructions_above_limit"] = [
            {k: _rounded(a[k]) for k in ("target", "workload", "instances", "above_limit")}
            for a in above]
    return summary


def _rounded(value):
    """Three decimals for ratios and milliseconds, whole numbers from 100 up."""
    if isinstance(value, (tuple, list)):
        return [_rounded(v) for v in value]
    if isinstance(value, float):
        return round(value) if abs(value) >= 100 else round(value, 3)
    return value
