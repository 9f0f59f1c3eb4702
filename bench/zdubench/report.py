"""The printed tables and the target summary. Figures only: no threshold fails the run."""
from . import targets

ZDU = targets.ZDU


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


def _cpu(row):
    return row and row.get("cpu_us_per_request")


def compare_table(rows):
    by = {(r["target"], r["workload"]): r for r in rows}
    out = []
    for r in rows:
        zdu = _zdu_row_for(by, r)
        mine = r["target"] == ZDU
        rps_ratio = "-" if mine else _fmt_paired(zdu, r, "rps")
        cpu_ratio = "-" if mine else _fmt_paired(r, zdu, "cpu_us")
        out.append([f'{r["target"]} {r["workload"]}', f'{r["rps"]:.0f}', f'{r["p50_ms"]:.2f}',
                    f'{r["p99_ms"]:.2f}', f'{_cpu(r) or 0:.1f}',
                    f'{r.get("user_us_per_request") or 0:.1f}', r["errors"], rps_ratio,
                    cpu_ratio])
    return ("ratios: median of the per-round ratios (lowest-highest round)\n" +
            _table(["row (2 instances)", "req/s", "p50 ms", "p99 ms", "CPU us/req",
                    "of it user", "errors", "req/s: mod_zdu / row", "CPU: row / mod_zdu"], out))


def curve_table(rows, key, label):
    """One line per instance (or session) count: each proxy's req/s and CPU per request, and
    mod_zdu against mod_proxy_balancer on both."""
    by = {(r["target"], r["workload"], r[key]): r for r in rows}
    workloads = [w for w in ("sticky", "new") if any(r["workload"] == w for r in rows)]
    cols = [(t, w) for w in workloads for t in targets.PROXIES]
    out = []
    for k in sorted({r[key] for r in rows}):
        cells = [by.get((t, w, k)) for t, w in cols]
        line = [k] + [f'{c["rps"]:.0f} ({_cpu(c) or 0:.0f})' if c else "-" for c in cells]
        for w in workloads:
            z, b = by.get((ZDU, w, k)), by.get((targets.BALANCER, w, k))
            line.append(f'{_fmt_ratio(_paired(z, b, "rps"))} / '
                        f'{_fmt_ratio(_paired(b, z, "cpu_us"))}')
        out.append(line)
    headers = ([label] + [f"{t} {w}" for t, w in cols] +
               [f"zdu vs balancer {w}" for w in workloads])
    return ("req/s (CPU us per request); zdu vs balancer: req/s ratio / CPU ratio (>1: mod_zdu "
            "better)\n" + _table(headers, out))


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


def per_request_table(rows):
    static = next((r["total"] for r in rows if r["target"] == targets.STATIC), None)
    out = []
    for r in rows:
        over = f'{r["total"] - static:.0f}' if static is not None else "-"
        out.append([f'{r["target"]} {r["workload"]} ({r["instances"]})'] +
                   [f"{r[c]:.0f}" for c in PER_REQUEST_COLS] + [over])
    return _table(["instructions per request"] + list(PER_REQUEST_COLS) + ["total - static"],
                  out)


HOOKS = ("zdu translate_name", "zdu pre_request", "zdu post_request", "zdu response filter (own)")


def zdu_breakdown_table(rows):
    """mod_zdu's functions per request with their share of its hooks and of the request."""
    parts = []
    for r in rows:
        if r["target"] != ZDU:
            continue
        hooks = sum(r[h] for h in HOOKS)
        lines = [[h, f"{r[h]:.0f}", f"{r[h] / hooks:.0%}", f"{r[h] / r['total']:.1%}"]
                 for h in HOOKS]
        lines += [[f"  {_short(f['function'])}", f["instructions"],
                   f"{f['instructions'] / hooks:.0%}", f"{f['instructions'] / r['total']:.1%}"]
                  for f in r["zdu_functions"] if not f["function"].startswith(
                      ("zdu::glue::translate_name", "zdu::glue::pre_request"))]
        parts.append(f'{r["workload"]} at {r["instances"]} instances: mod_zdu\'s hooks '
                     f'{hooks:.0f} of {r["total"]:.0f} instructions per request\n' +
                     _table(["function (inclusive)", "instructions", "of hooks", "of request"],
                            lines))
    return "\n\n".join(parts)


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
            r = _paired(zdu, peer, "rps")
            checks.append((f"req/s mod_zdu / mod_proxy_balancer, {w}", r, ">= 1.05", r, 1.05))
            r = _paired(peer, zdu, "cpu_us")
            checks.append((f"CPU/req mod_proxy_balancer / mod_zdu, {w}", r, ">= 1.05", r, 1.05))
    checks += _instruction_checks(results.get("per_request") or [])
    for w in ("sticky", "new"):
        zdu, static = rows.get((ZDU, w)), rows.get((targets.STATIC, "static"))
        if zdu and static:
            r = _paired(zdu, static, "rps")
            checks.append((f"req/s mod_zdu {w} / static file", r, ">= 0.95", r, 0.95))
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
    return [(label, value, goal, None if score is None else score >= bar)
            for label, value, goal, score, bar in checks]


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


def _instruction_checks(rows):
    """The same goal on callgrind's instructions per request, which other load on the machine
    does not move."""
    by = {(r["target"], r["workload"], r["instances"]): r["total"] for r in rows}
    checks = []
    for (target, workload, n), total in sorted(by.items(), key=lambda kv: (kv[0][2], kv[0][1])):
        peer = by.get((targets.BALANCER, workload, n))
        if target == ZDU and peer:
            r = _ratio(peer, total)
            checks.append((f"instructions/req mod_proxy_balancer / mod_zdu, {workload}, "
                           f"{n} inst.", r, ">= 1.05", r, 1.05))
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
    """The comparison as JSON: each row's figures and mod_zdu's paired req/s ratio to it."""
    rows = results.get("compare") or []
    by = {(r["target"], r["workload"]): r for r in rows}
    out = []
    for r in rows:
        zdu = _zdu_row_for(by, r)
        entry = {k: _rounded(r[k]) for k in ("target", "workload", "rps", "p50_ms", "p99_ms",
                                             "cpu_us_per_request", "errors")}
        if r["target"] != ZDU:
            entry["mod_zdu_over_row"] = _rounded(_paired(zdu, r, "rps"))
            entry["mod_zdu_over_row_range"] = _rounded(_paired_range(zdu, r, "rps"))
        out.append(entry)
    return {"compare": out,
            "targets": [{"target": t, "measured": _rounded(v), "goal": g, "met": m}
                        for t, v, g, m in target_checks(results)]}


def _rounded(value):
    """Three decimals for ratios and milliseconds, whole numbers from 100 up."""
    if isinstance(value, (tuple, list)):
        return [_rounded(v) for v in value]
    if isinstance(value, float):
        return round(value) if abs(value) >= 100 else round(value, 3)
    return value
