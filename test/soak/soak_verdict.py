"""The soak's criteria and its figures table, from what a run collected (soak.py's Run).

What counts as a failure:
- An idempotent request (every GET: login, page, static file, logout) that did not answer
  200, or got no answer. None may fail: the app runs on several instances of each cluster, the
  soak never kills the last running one, and mod_zdu sends a GET that met a refused connect or
  a reset to another instance (its retry budget), and a session whose instance is down to its
  replica or failover pick. So the contract is 0, faults or not.
- A POST (not idempotent) that did not answer 200 is a failure unless the instance its session
  was on had just been killed (the request met the dead instance before it was taken out, or
  was in flight at the kill): mod_zdu never sends a request with a body twice, by design.
- A session answered by another instance than the one it was on, unless that instance was
  down then (a failover): a moved session is a failure of stickiness.
"""
from dataclasses import dataclass

import soak_plan as plan
from soak_faults import explain

# "Flat": the private memory (RssAnon: heap and stacks, where a leak lands) of httpd's
# processes at the end is at most that after warm-up plus this share of it plus a fixed slack
# for allocator high-water marks. Shared and file pages are reported, not judged: the session
# table's and the records' pages are touched as sessions spread, and count once per process.
RSS_TOLERANCE = 0.10
RSS_SLACK_KB = 4096


@dataclass
class Criterion:
    name: str
    ok: bool
    detail: str


def requests_of(sessions):
    return [(s, r) for s in sessions for r in s.requests]


def classify_failures(run):
    """{"idempotent": [...], "post_allowed": [...], "post_unexplained": [...]} of
    (session, request)."""
    out = {"idempotent": [], "post_allowed": [], "post_unexplained": []}
    for s in run.sessions:
        current = s.home
        for r in s.requests:
            if r.failed:
                if r.idempotent:
                    out["idempotent"].append((s, r))
                elif current and run.site.down_at(current, r.sent):
                    out["post_allowed"].append((s, r))
                else:
                    out["post_unexplained"].append((s, r))
            if r.instance:
                current = r.instance
    return out


def moves(run):
    """([explained], [unexplained]) changes of instance within a session:
    (session, request, from, to)."""
    explained, unexplained = [], []
    for s in run.sessions:
        current = s.home
        for r in s.requests:
            if not r.instance or current is None:
                continue
            if r.instance != current:
                move = (s, r, current, r.instance)
                (explained if run.site.down_at(current, r.sent) else unexplained).append(move)
                current = r.instance
    return explained, unexplained


def log_verdict(run):
    """(explained counts by pattern, [unexplained LogLine])."""
    counts, unexplained = {}, []
    for line in run.severe:
        found = explain(line, run.site.faults)
        if found:
            counts[found[0].why] = counts.get(found[0].why, 0) + 1
        else:
            unexplained.append(line)
    return counts, unexplained


def criteria(run):
    failures = classify_failures(run)
    _, unexplained_moves = moves(run)
    _, unexplained_lines = log_verdict(run)
    common = sorted(set(run.rss_warm.per_pid) & set(run.rss_end.per_pid))
    warm, end = run.rss_warm.of(common), run.rss_end.of(common)
    limit = warm * (1 + RSS_TOLERANCE) + RSS_SLACK_KB
    shm = run.shm_end
    held = run.holders_live()
    expected_workers = run.site.expected_workers()
    out = [
        Criterion("no failed idempotent request", not failures["idempotent"],
                  _first(failures["idempotent"], lambda f: _describe_failure(f, run.t0))),
        Criterion("POST failures only on a just-killed instance",
                  not failures["post_unexplained"],
                  _first(failures["post_unexplained"], lambda f: _describe_failure(f, run.t0))),
        Criterion("sessions stay on their instance unless it died", not unexplained_moves,
                  _first(unexplained_moves, lambda m: _describe_move(m, run.t0))),
        Criterion("every reload accepted", not run.site.refused and run.reloads_total() > 0,
                  f"{run.reloads_total()} reloads, refused {run.site.refused[:3]}"),
        Criterion("config generation counts every reload",
                  run.generation_end == run.generation_start + run.reloads_total(),
                  f"{run.generation_start} + {run.reloads_total()} -> {run.generation_end}"),
        Criterion("every child serves the last generation",
                  len(run.child_generations) == run.rss_end.processes - 1 and
                  set(run.child_generations.values()) == {run.generation_end},
                  f"{run.child_generations}, last {run.generation_end}"),
        Criterion("every planned kill done", len(run.site.faults) == len(run.plan.kills),
                  f"{len(run.site.faults)} of {len(run.plan.kills)}"),
    ]
    out += _upgrade_criteria(run)
    out += [
        Criterion("httpd RSS flat after warm-up", end <= limit,
                  f"RssAnon {warm} kB -> {end} kB, limit {limit:.0f} kB "
                  f"(+{RSS_TOLERANCE:.0%} + {RSS_SLACK_KB} kB), over the {len(common)} "
                  f"processes alive at both"),
        Criterion("session table back to the live sessions held",
                  shm.table_used == len(held) and shm.live == len(held) and
                  shm.per_instance == _count(held) and not shm.untracked,
                  f"used {shm.table_used}, live {shm.live} {shm.per_instance}, untracked "
                  f"{shm.untracked}; held {len(held)} {_count(held)}"),
        Criterion("no session-table overflow", shm.table_overflow == 0,
                  f"overflow {shm.table_overflow}"),
        Criterion("growth slots used as expected",
                  {c: u for c, (u, _) in shm.workers.items()} == expected_workers and
                  {c: t for c, (_, t) in shm.workers.items()} ==
                  {c: t for c, (_, t) in run.shm_warm.workers.items()} and
                  shm.spare_clusters[0] == 0,
                  f"used {_used(shm.workers)}, expected {expected_workers}; spare clusters "
                  f"{shm.spare_clusters[0]}"),
        Criterion("no error-level log line but the injected faults'", not unexplained_lines,
                  _first(unexplained_lines, lambda l: f"[{l.module}:{l.level}] {l.text[:200]}")),
        Criterion("every user stopped", not run.stuck_users, f"{run.stuck_users} still running"),
    ]
    return out


def _upgrade_criteria(run):
    out = []
    for u in run.site.upgrades:
        grace = u["switched"] + plan.HEALTH_INTERVAL_S + 3.0
        later = [s for s in run.sessions if s.cluster == u["cluster"] and s.started > grace
                 and s.home]
        off = [s for s in later if s.version != "2.0"]
        out.append(Criterion(f"{u['cluster']}: new sessions on v2 after the switch",
                             later and not off,
                             f"{len(later)} sessions, {len(off)} not on 2.0"))
        out.append(Criterion(f"{u['cluster']}: every v1 instance drained",
                             not u["not_drained"],
                             f"drained after {_seconds(u['drained'])}, not {u['not_drained']}"))
    return out


def _first(items, describe, n=3):
    if not items:
        return "none"
    return f"{len(items)}: " + "; ".join(describe(x) for x in items[:n])


def _describe_failure(item, t0):
    s, r = item
    return (f"user {s.user} {s.cluster} {r.kind} on {s.home} -> {r.status or r.error} "
            f"at {r.sent - t0:.1f} s")


def _describe_move(item, t0):
    s, r, old, new = item
    return (f"user {s.user} session on {old} answered by {new} ({r.kind}) "
            f"at {r.sent - t0:.1f} s")


def _count(held):
    counts = {}
    for instance in held:
        counts[instance] = counts.get(instance, 0) + 1
    return counts


def _used(workers):
    return {c: u for c, (u, _) in workers.items()}


def _seconds(drained):
    return ", ".join(f"{n} {t:.1f} s" for n, t in sorted(drained.items())) or "-"


# --- the figures table -------------------------------------------------------------------------

def figures(run):
    """[(figure, value)] rows, in the order they print."""
    pairs = requests_of(run.sessions)
    failures = classify_failures(run)
    explained_moves, unexplained_moves = moves(run)
    log_counts, unexplained_lines = log_verdict(run)
    kinds = {}
    for _, r in pairs:
        total, failed = kinds.get(r.kind, (0, 0))
        kinds[r.kind] = (total + 1, failed + r.failed)
    ends = {}
    for s in run.sessions:
        ends[s.end] = ends.get(s.end, 0) + 1
    w, e = run.rss_warm, run.rss_end
    sw, se = run.shm_warm, run.shm_end
    rows = [
        ("duration (s)", f"{run.elapsed:.0f} (load {run.plan.load_end:.0f}, tail "
                         f"{run.elapsed - run.load_stopped:.0f})"),
        ("users / holders", f"{run.users} / {len(run.holder_sessions())}"),
        ("requests", f"{len(pairs)} ({len(pairs) / max(run.plan.load_end, 1):.0f}/s)"),
        ("requests by kind (failed)",
         ", ".join(f"{k} {t} ({f})" for k, (t, f) in sorted(kinds.items()))),
        ("failed idempotent", str(len(failures["idempotent"]))),
        ("failed POST: on a killed instance / other",
         f"{len(failures['post_allowed'])} / {len(failures['post_unexplained'])}"),
        ("sessions by end", ", ".join(f"{k} {n}" for k, n in sorted(ends.items()))),
        ("sessions moved: failover / unexplained",
         f"{len(explained_moves)} / {len(unexplained_moves)}"),
        ("failovers / retries (mod_zdu counters)", f"{run.counter('failovers')} / "
                                                   f"{run.counter('retries')}"),
        ("reloads: manager / poll / refused",
         f"{run.site.reloads['manager']} / {run.site.reloads['poll']} / "
         f"{len(run.site.refused)}"),
        ("config generation start -> end", f"{run.generation_start} -> {run.generation_end}"),
        ("kills (instance @ s)", ", ".join(f"{f.instance}@{f.killed - run.t0:.0f}"
                                           for f in run.site.faults) or "-"),
        ("upgrades (cluster @ s: v1 drained after)",
         "; ".join(f"{u['cluster']}@{u['switched'] - run.t0:.0f}: {_seconds(u['drained'])}"
                   for u in run.site.upgrades) or "-"),
        ("httpd processes warm-up / end", f"{w.processes} / {e.processes}"),
        ("httpd VmRSS kB warm-up / end", f"{w.kb['VmRSS']} / {e.kb['VmRSS']}"),
        ("httpd RssAnon kB warm-up / end", f"{w.kb['RssAnon']} / {e.kb['RssAnon']}"),
        ("httpd RssShmem kB warm-up / end", f"{w.kb['RssShmem']} / {e.kb['RssShmem']}"),
        ("httpd RssAnon kB over the run (s: kB)", _series(run.rss_series)),
        ("session table used warm-up / max / end",
         f"{sw.table_used} / {run.table_used_max} / {se.table_used} (of {se.table_capacity})"),
        ("live sessions warm-up / end (held)",
         f"{sw.live} / {se.live} ({len(run.holders_live())})"),
        ("untracked / overflow / evicted at end",
         f"{se.untracked} / {se.table_overflow} / {se.table_evicted}"),
        ("worker slots used/total warm-up", _slots(sw.workers)),
        ("worker slots used/total end (expected)",
         f"{_slots(se.workers)} ({_expected(run.site.expected_workers())})"),
        ("spare clusters used warm-up / end", f"{sw.spare_clusters[0]} / "
                                              f"{se.spare_clusters[0]}"),
        ("error-level log lines: fault / other",
         f"{sum(log_counts.values())} / {len(unexplained_lines)}"),
        ("client TCP connections opened", str(run.connections)),
    ]
    rows += [(f"  allowed: {why}", str(n)) for why, n in sorted(log_counts.items())]
    return rows


def _series(samples, points=8):
    """A few evenly spaced (time, kB) samples, the last included."""
    if not samples:
        return "-"
    step = max(1, len(samples) // points)
    picked = samples[::step]
    if picked[-1] is not samples[-1]:
        picked.append(samples[-1])
    return ", ".join(f"{t:.0f}: {kb}" for t, kb in picked)


def _slots(workers):
    return ", ".join(f"{c} {u}/{t}" for c, (u, t) in sorted(workers.items()))


def _expected(expected):
    return ", ".join(f"{c} {n}" for c, n in sorted(expected.items()))


def render(rows, results):
    width = max(len(name) for name, _ in rows)
    lines = ["", "soak figures", "-" * (width + 30)]
    lines += [f"{name.ljust(width)}  {value}" for name, value in rows]
    lines += ["", "criteria"]
    lines += [f"  {'PASS' if c.ok else 'FAIL'}  {c.name}: {c.detail}" for c in results]
    return "\n".join(lines)
