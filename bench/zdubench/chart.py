"""results.json as one PNG (gnuplot): the comparison's req/s and p99, and the scale and
session curves. Skipped, with a note, when gnuplot is missing."""
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import targets

TIMEOUT = 60.0
SERIES = (targets.LIMIT, targets.BALANCER, targets.ZDU, targets.HAPROXY)


def _write(path, rows):
    path.write_text("\n".join(" ".join(str(v) for v in row) for row in rows) + "\n")
    return path


def _compare_data(tmp, compare):
    by = {(r["target"], r["workload"]): r for r in compare}
    rows = []
    for name in (targets.DIRECT, targets.LIMIT, targets.BALANCER, targets.ZDU, targets.HAPROXY):
        s, n = by.get((name, "sticky")), by.get((name, "new"))
        if s and n:
            rows.append((f'"{name}"', round(s["rps"]), round(n["rps"]), s["p99_ms"], n["p99_ms"]))
    static = by.get((targets.STATIC, "static"))
    if static:
        rows.append(('"static file"', round(static["rps"]), 0, static["p99_ms"], 0))
    return _write(tmp / "compare.dat", rows)


def _curve_data(tmp, rows, key, name):
    """One column per proxy and workload, one line per value of `key`."""
    keys = sorted({r[key] for r in rows if r[key] is not None})
    cols = [(t, w) for w in ("sticky", "new") for t in SERIES]
    by = {(r["target"], r["workload"], r[key]): r["rps"] for r in rows}
    data = [[k] + [round(by.get((t, w, k), 0)) or "NaN" for t, w in cols] for k in keys]
    return _write(tmp / name, data), cols


def _curve_plot(path, cols, title, xlabel, workloads):
    plots = [f"'{path}' using 1:{i + 2} with linespoints title '{t} {w}'"
             for i, (t, w) in enumerate(cols) if w in workloads]
    return (f"set title '{title}'\nset xlabel '{xlabel}'\nset ylabel 'req/s'\n"
            f"set logscale x\nset style data linespoints\nset key bottom left\n"
            f"plot {', '.join(plots)}\nunset logscale x\n")


def script(tmp, results, png):
    compare = _compare_data(tmp, results["compare"])
    scale, scale_cols = _curve_data(tmp, results["scale"], "instances", "scale.dat")
    sessions, session_cols = _curve_data(tmp, results["sessions"], "sessions", "sessions.dat")
    return f"""\
set terminal pngcairo size 1400,1000 font ',10' noenhanced
set output '{png}'
set multiplot layout 2,2 title 'mod_zdu benchmarks ({results["meta"]["profile"]} run)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set yrange [0:*]
set xtics rotate by -15
set key top center horizontal
set title 'Throughput, 2 instances (higher is better)'
set ylabel 'req/s'
plot '{compare}' using 2:xtic(1) title 'sticky', '' using 3 title 'new session'
set title 'Latency p99, 2 instances (lower is better)'
set ylabel 'ms'
plot '{compare}' using 4:xtic(1) title 'sticky', '' using 5 title 'new session'
set style data linespoints
set xtics auto norotate
set key vertical
{_curve_plot(scale, scale_cols, 'Throughput by instances in the cluster', 'instances',
             ('sticky', 'new'))}
{_curve_plot(sessions, session_cols, 'Sticky throughput by distinct client sessions',
             'sessions', ('sticky',))}
unset multiplot
"""


def draw(results, png):
    """Writes png; returns None, or why it could not."""
    if not shutil.which("gnuplot"):
        return "gnuplot not installed"
    with tempfile.TemporaryDirectory(prefix="zdu-bench-chart-") as tmp:
        text = script(Path(tmp), results, png)
        done = subprocess.run(["gnuplot"], input=text, capture_output=True, text=True,
                              timeout=TIMEOUT)
    if done.returncode != 0:
        return done.stderr.strip()[-500:]
    return None
