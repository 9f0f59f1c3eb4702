#!/usr/bin/env python3
"""mod_zdu soak: mixed load on a real httpd (event MPM, several children) in front of two
clusters of test backends, with config reloads, instance kills and restarts and a rolling
upgrade, then checks that nothing failed, nothing leaked and every shared table came back.

    python3 test/soak/soak.py --seconds 600   # the documented 10-minute run
    python3 test/soak/soak.py --seconds 60    # what ctest runs (soak:short)

Needs a build (cmake --build build; ZDU_BUILD_DIR or --build-dir names another). The scenario,
the criteria and what counts as a failure: test/soak/README.md and soak_verdict.py. Prints a
figures table and the criteria; exits 1 when one fails, 2 when the run could not be made.
"""
import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "integration")]

from harness import BackendError, HttpdError, paths  # noqa: E402

import soak_plan  # noqa: E402
import soak_probes as probes  # noqa: E402
import soak_verdict as verdict  # noqa: E402
from soak_site import CLUSTERS, Site  # noqa: E402
from soak_users import Crowd  # noqa: E402

RSS_EVERY_S = 5.0
SETTLE_S = 2.0  # the table must still match this long after it first did (two sweeps)
DRAIN_TIMEOUT_S = 2 * soak_plan.SESSION_TIMEOUT_S + 15


def parse_args(argv):
    p = argparse.ArgumentParser(description="mod_zdu soak test")
    p.add_argument("--seconds", type=float, default=60,
                   help=f"length of the run, tail included (at least {soak_plan.MIN_SECONDS})")
    p.add_argument("--users", type=int, default=50, help="virtual users during the load")
    p.add_argument("--holders", type=int, default=6,
                   help="users that keep a session open to the end")
    p.add_argument("--seed", type=int, default=1, help="seeds the users' choices")
    p.add_argument("--build-dir", help="default: $ZDU_BUILD_DIR or <repo>/build")
    p.add_argument("--keep", action="store_true", help="keep the temp dir (conf, logs)")
    return p.parse_args(argv)


class Run:
    """What one run collected; soak_verdict judges it."""

    def __init__(self, opts, plan, site):
        self.opts, self.plan, self.site = opts, plan, site
        self.users = opts.users
        self.t0 = time.monotonic()
        self.crowd = self.holders = None
        self.rss_warm = self.rss_end = self.shm_warm = self.shm_end = None
        self.rss_series = []  # (seconds from the start, RssAnon kB over every process)
        self.table_used_max = 0
        self.generation_start = self.generation_end = 0
        self.status_end = None
        self.child_generations = {}  # httpd child pid -> the generation it serves at the end
        self.stuck_users = []
        self.load_stopped = self.elapsed = 0.0
        self.severe = []
        self.errors = []  # exceptions of the background threads
        self._stop = threading.Event()

    @property
    def sessions(self):
        return self.crowd.sessions() + (self.holders.sessions() if self.holders else [])

    @property
    def connections(self):
        return self.crowd.connections() + (self.holders.connections() if self.holders else 0)

    def holder_sessions(self):
        return self.holders.sessions() if self.holders else []

    def holders_live(self):
        """The instance each holder's session is on now (the last that answered it)."""
        live = []
        for s in self.holder_sessions():
            answered = [r.instance for r in s.requests if r.instance and not r.failed]
            if answered:
                live.append(answered[-1])
        return live

    def reloads_total(self):
        return sum(self.site.reloads.values())

    def counter(self, name):
        return sum(i["counters"][name] for c in self.status_end["clusters"]
                   for i in c["instances"])

    # --- background threads ----------------------------------------------------------------

    def background(self, target):
        def guarded():
            try:
                target()
            except Exception as e:  # reported with the figures; the run goes on
                self.errors.append(f"{target.__name__}: {e!r}")
        thread = threading.Thread(target=guarded, daemon=True)
        thread.start()
        return thread

    def reloader(self):
        """Weight changes: during warm-up as fast as cmd=reload takes them, then every few
        seconds by cmd=reload and by the poll in turn."""
        while True:
            warming = time.monotonic() - self.t0 < self.plan.warmup
            every = soak_plan.WARMUP_RELOAD_EVERY_S if warming else self.plan.reload_every
            if self._stop.wait(every):
                return
            self.site.change_weights("manager" if warming else None)

    def sampler(self):
        last_rss = 0.0
        while not self._stop.wait(1.0):
            self.table_used_max = max(self.table_used_max,
                                      self.site.status()["session_table"]["used"])
            if time.monotonic() - last_rss >= RSS_EVERY_S:
                last_rss = time.monotonic()
                self.rss_series.append((last_rss - self.t0,
                                        probes.memory(self.site.httpd).kb["RssAnon"]))

    # --- the scenario ----------------------------------------------------------------------

    def at(self, offset):
        time.sleep(max(0.0, self.t0 + offset - time.monotonic()))

    def run(self):
        self.generation_start = self.site.status()["generation"]
        self.crowd = Crowd(self.site.httpd.base_url, CLUSTERS, self.users, self.opts.seed).start()
        threads = [self.background(self.reloader), self.background(self.sampler)]
        events = [(self.plan.warmup, "warmup", None)]
        events += [(t, "kill", c) for t, c in self.plan.kills]
        events += [(t, "upgrade", c) for t, c in self.plan.upgrades]
        for turn, (offset, what, cluster) in enumerate(sorted(events)):
            self.at(offset)
            self._event(what, cluster, turn)
        self.at(self.plan.load_end)
        self._stop.set()
        for thread in threads:
            thread.join(30)
        self.stuck_users = self.crowd.stop()
        self.load_stopped = time.monotonic() - self.t0
        self.holders = Crowd(self.site.httpd.base_url, CLUSTERS, self.opts.holders,
                             self.opts.seed + 7, end="hold").start()
        self._wait_table_settles()
        self.rss_end = probes.memory(self.site.httpd)
        self.rss_series.append((time.monotonic() - self.t0, self.rss_end.kb["RssAnon"]))
        self.status_end = self.site.status()
        self.shm_end = probes.shared_memory(self.status_end)
        self.generation_end = self.status_end["generation"]
        # Each child's own answer: one left on an older generation would be stuck on a
        # snapshot some request never let go of.
        self.child_generations = {pid: doc["generation"] for pid, doc
                                  in self.site.manager.status_of_every_child().items()}
        self.stuck_users += self.holders.stop()
        self.elapsed = time.monotonic() - self.t0

    def _event(self, what, cluster, turn):
        if what == "warmup":
            self.rss_warm = probes.memory(self.site.httpd)
            self.shm_warm = probes.shared_memory(self.site.status())
        elif what == "kill":
            self.site.kill_and_restart(cluster, turn)
        elif what == "upgrade":
            self.site.upgrade(cluster, DRAIN_TIMEOUT_S)

    def _wait_table_settles(self):
        """Until the session table holds only the holders' sessions (abandoned ones idled
        out, ended markers gone) and still does SETTLE_S later, or the tail has passed."""
        deadline = self.t0 + self.plan.seconds + soak_plan.TAIL_S
        self.at(self.plan.seconds - soak_plan.TAIL_S + 2 * soak_plan.SESSION_TIMEOUT_S)
        while time.monotonic() < deadline:
            if self._table_matches():
                time.sleep(SETTLE_S)
                if self._table_matches():
                    return
            time.sleep(0.5)

    def _table_matches(self):
        shm = probes.shared_memory(self.site.status())
        held = self.holders_live()
        return len(held) == self.opts.holders and shm.table_used == len(held) == shm.live


def main(argv=None):
    opts = parse_args(argv)
    if opts.build_dir:
        os.environ["ZDU_BUILD_DIR"] = os.path.abspath(opts.build_dir)
    if not paths.module_path().exists():
        print(f"soak: {paths.module_path()} not built", file=sys.stderr)
        return 2
    plan = soak_plan.plan_for(opts.seconds)
    root = tempfile.mkdtemp(prefix="zdu-soak-")
    site = None
    try:
        site = Site(root).start()
        print(f"soak: {opts.seconds:.0f} s, {opts.users} users + {opts.holders} holders, "
              f"httpd {site.httpd.base_url} in {root}", flush=True)
        run = Run(opts, plan, site)
        run.run()
        site.stop()
        run.severe = probes.severe_lines(site.httpd.error_log())
    except (BackendError, HttpdError, OSError, RuntimeError, AssertionError) as e:
        traceback.print_exc()
        print(f"soak: the run could not be made: {e}", file=sys.stderr)
        return 2
    finally:
        if site is not None:
            site.stop()
        if opts.keep:
            print(f"soak: kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    results = verdict.criteria(run)
    if run.errors:
        results.append(verdict.Criterion("background threads ran through", False,
                                         "; ".join(run.errors[:3])))
    print(verdict.render(verdict.figures(run), results), flush=True)
    failed = [c.name for c in results if not c.ok]
    print(f"\nsoak: {'FAILED: ' + ', '.join(failed) if failed else 'passed'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
