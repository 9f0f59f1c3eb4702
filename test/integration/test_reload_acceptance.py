"""Hot reload, the issue's acceptance: loadbalancer.xml changes while httpd (event MPM, three
children) serves real backends under keep-alive load with sessions; every child switches, no
child is replaced, no request fails, no session on an unchanged instance moves, kept-alive
client connections stay open. Reloads come from polling (reload-poll-interval-in-seconds 1)
or from the manager's cmd=reload."""
import collections
import os
import subprocess
import threading
import time
import unittest

from harness import ZduTestCase, paths, process
from harness.load import LOGIN, PAGE, SessionLoad
from harness.manager import MANAGER_CONF, Manager
from harness.xml import loadbalancer_xml

POLL = 1  # reload-poll-interval-in-seconds of the polling tests
NO_POLL = 0  # tests driven by cmd=reload alone, so only they move the generation
GRACEFUL = "graceful restart"  # what a refusal past the reserve must say
# Threads per child: more than all client connections of a test, so no child can ever have
# every worker busy. The event MPM closes the idle keep-alive connections of a child whose
# workers are all busy ("so that they may connect to another process"), or whose connections
# outnumber its threads plus AsyncRequestWorkerFactor times its idle ones: with fewer
# threads, the clients that happen to land on one child lose connections, reload or not.
THREADS = 64


def cluster_xml(instances, poll, policy="weighted-round-robin", name="c1"):
    """instances: [(backend, extra xml attributes)]."""
    described = [dict({"name": b.instance, "listeners": b.listener}, **attrs)
                 for b, attrs in instances]
    cluster = {"name": name, "policy": policy, "instances": described,
               "web_modules": [{"context_root": "/app"}]}
    return loadbalancer_xml([cluster], {"reload-poll-interval-in-seconds": poll})


def plain(backends):
    return [(b, {}) for b in backends]


def generation(status):
    return status["generation"]


def line_of(text, needle):
    """1-based line of the first line of `text` containing `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


class ReloadTestCase(ZduTestCase):
    def start_reloadable(self, instances, poll, conf="", **opts):
        httpd = self.start_httpd(cluster_xml(instances, poll, **opts),
                                 extra_conf=MANAGER_CONF + conf, threads=THREADS)
        return httpd, Manager(httpd)

    def reload_ok(self, manager, expected=None):
        """cmd=reload that must succeed; returns the generation it made live."""
        status, answer = manager.reload()
        self.assertEqual(status, 200, answer)
        self.assertNotIn("errors", {k for k, v in answer.items() if v}, answer)
        if expected is not None:
            self.assertEqual(answer["generation"], expected, answer)
        return answer["generation"]

    def login_homes(self, client, count):
        return self.new_session_homes(client, LOGIN, count)

    def children_generations(self, manager):
        return {pid: generation(s) for pid, s in manager.status_of_every_child().items()}

    def assertEveryChildRuns(self, manager, expected, timeout=2.0):
        """Every child's status names generation `expected`. A child switches at a request
        (the status request itself, unless another thread of it is switching), so a moment's
        grace."""
        seen = []

        def all_run_it():
            seen[:] = [self.children_generations(manager)]
            return set(seen[0].values()) == {expected}

        self.assertTrue(process.wait_until(all_run_it, timeout), seen)


class HundredReloadsUnderLoad(ReloadTestCase):
    CLIENTS = 50
    GROWTH = 6  # x, and n1..n5: distinct new names up to the reserve

    def test_100_reloads_fail_nothing_move_no_session_and_keep_connections(self):
        stable = self.start_backends(("1.0", "1.0"), prefix="s")
        comer = self.start_backend("x")  # removed and added again, the same name and listener
        news = self.start_backends(("1.0",) * (self.GROWTH - 1), prefix="n")
        httpd, manager = self.start_reloadable(plain(stable), NO_POLL,
                                               conf=f"ZduGrowth {self.GROWTH}\n")
        before_children = set(httpd.child_pids())
        gen = generation(manager.status())
        pinned = self.client(httpd)  # one connection, used before, during and after
        checker = self.client(httpd)  # new sessions on demand, to see what a reload changed
        problems = []
        with SessionLoad(httpd.base_url, self.CLIENTS, new_session_clients=4) as load:
            self.assertEqual(pinned.get(PAGE).status, 200)
            load.wait_requests(200)
            load.phase = "during"
            gen = self.hundred_reloads(httpd, manager, stable, comer, news, gen, pinned,
                                       checker, problems)
            load.phase = "after"
            self.assertEqual(pinned.get(PAGE).status, 200)
            load.wait_requests(200)

        self.assertEqual(load.failures, [], "no request may fail")
        self.assertEqual(load.moved(), [], "sessions on unchanged instances never move")
        self.assertEqual(load.reconnected(), [], self.why_reconnected(httpd, before_children))
        self.assertEqual(problems, [], "each reload's own checks")
        for phase in ("before", "during", "after"):
            self.assertGreater(load.by_phase.get(phase, 0), 0, phase)
        self.assertGreater(load.new_sessions.get("x", 0), 0, "x took new sessions while in")
        self.assertEqual(pinned.connections, 1, "the pinned client kept its one connection")
        self.assertLessEqual(before_children, set(httpd.child_pids()), "no child replaced")
        self.assertEveryChildRuns(manager, gen)
        workers = manager.status()["clusters"][0]["workers"]
        self.assertEqual(workers, {"used": 2 + self.GROWTH, "total": 2 + self.GROWTH},
                         "x came back to its slot; the new names took the rest of the reserve")

    @staticmethod
    def why_reconnected(httpd, before_children):
        """What httpd says about its children (a crash, one stopped), for a failure message."""
        notes = [line for line in httpd.error_log().splitlines()
                 if "AH0" in line or "signal" in line or "[zdu:error]" in line]
        return (f"kept-alive connections stay open; children {sorted(before_children)} -> "
                f"{sorted(httpd.child_pids())}; httpd said: {notes[-10:]}")

    def hundred_reloads(self, httpd, manager, stable, comer, news, gen, pinned, checker,
                        problems):
        """Add x (and, five times, a new name), change weights, remove them, change weights:
        25 times. Each reload must make the next generation live; the pinned connection is
        served after each."""
        pending = list(news)
        present = []
        port = pinned._conn.sock.getsockname()[1]
        for k in range(100):
            step = k % 4
            if step == 0:
                present = [comer] + ([pending.pop(0)] if pending else [])
            elif step == 2:
                gone, present = present, []
            weights = {"s1": 1 + k % 5, "s2": 1 + (3 * k) % 4}
            instances = [(b, {"weight": weights[b.instance]}) for b in stable]
            instances += [(b, {"weight": 2}) for b in present]
            httpd.write_xml(cluster_xml(instances, NO_POLL))
            gen = self.reload_ok(manager, gen + 1)
            response = pinned.get(PAGE)
            if response.status != 200 or pinned._conn.sock.getsockname()[1] != port:
                problems.append((k, "pinned", response.status))
            if step == 0:
                problems += self.new_instances_take_sessions(checker, present, k)
            elif step == 2:
                problems += self.removed_take_none(checker, gone, k)
        return gen

    def new_instances_take_sessions(self, checker, added, k):
        wanted = {b.instance for b in added}
        for _ in range(60):
            wanted -= set(self.login_homes(checker, 1))
            if not wanted:
                return []
        return [(k, "added but took no new session", sorted(wanted))]

    def removed_take_none(self, checker, gone, k):
        """Every request that starts after the reload answered runs on the new generation,
        even while another thread of its child is still building it."""
        names = {b.instance for b in gone}
        wrong = [h for h in self.login_homes(checker, 20) if h in names]
        return [(k, "removed but took new sessions", wrong)] if wrong else []


class AddedInstance(ReloadTestCase):
    PAGES = 50

    def test_takes_new_sessions_in_every_child_within_poll_interval_over_pooled_connections(
            self):
        stable = self.start_backends(("1.0", "1.0"), prefix="s")
        added = self.start_backend("a1")
        httpd, manager = self.start_reloadable(plain(stable), POLL, policy="round-robin")
        gen = generation(manager.status())
        per_child = manager.clients_per_child()
        for client in per_child.values():
            self.addCleanup(client.close)
        httpd.write_xml(cluster_xml(plain(stable + [added]), POLL, policy="round-robin"))
        written = time.monotonic()
        deadline = written + POLL + 1
        reached, pages = {}, {}

        def until_added(pid, client):
            while time.monotonic() < deadline:
                if self.login_homes(client, 1) == ["a1"]:
                    reached[pid] = round(time.monotonic() - written, 3)
                    # Now on a session of a1: its pages must reach a1 over pooled connections.
                    pages[pid] = {client.get(PAGE).json()["instance"]
                                  for _ in range(self.PAGES)}
                    return

        threads = [threading.Thread(target=until_added, args=item)
                   for item in per_child.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sorted(reached), sorted(per_child),
                         f"a1 took new sessions in every child within {POLL + 1} s: {reached}")
        for pid in per_child:
            self.assertEqual(pages[pid], {"a1"}, pid)
            self.assertEqual(per_child[pid].connections, 1, "the client stayed on its child")
        stats = added.stats()
        self.assertGreaterEqual(stats["requests"], self.PAGES * len(per_child))
        # One request at a time per child: a pooled worker needs one connection per child;
        # a connection per request would be hundreds.
        self.assertLessEqual(stats["connections"], len(per_child), stats)
        self.assertEveryChildRuns(manager, gen + 1)


class Weights(ReloadTestCase):
    SESSIONS = 1000
    NEW_WEIGHTS = {"s1": 5, "s2": 3, "s3": 2}

    def test_next_1000_new_sessions_follow_the_new_weights_within_5_percent(self):
        backends = self.start_backends(("1.0",) * 3, prefix="s")
        httpd, manager = self.start_reloadable([(b, {"weight": 1}) for b in backends], NO_POLL)
        gen = generation(manager.status())
        httpd.write_xml(cluster_xml([(b, {"weight": self.NEW_WEIGHTS[b.instance]})
                                     for b in backends], NO_POLL))
        self.reload_ok(manager, gen + 1)
        per_child = manager.clients_per_child()
        for client in per_child.values():
            self.addCleanup(client.close)
        counts = collections.Counter()
        share = self.SESSIONS // len(per_child)
        sizes = [share] * len(per_child)
        sizes[0] += self.SESSIONS - share * len(per_child)

        def logins(client, n):
            counts.update(self.login_homes(client, n))

        threads = [threading.Thread(target=logins, args=(c, n))
                   for c, n in zip(per_child.values(), sizes)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(sum(counts.values()), self.SESSIONS)
        total = sum(self.NEW_WEIGHTS.values())
        for name, weight in self.NEW_WEIGHTS.items():
            expected = self.SESSIONS * weight / total
            self.assertLessEqual(abs(counts[name] - expected), 0.05 * expected,
                                 f"{name}: {dict(counts)}, expected {expected:.0f}")


def broken_missing_listener(good):
    """Valid but for one instance without listeners: the loader names its line."""
    text = cluster_xml(plain(good) + [(_Named("broken"), {})], POLL)
    return text, line_of(text, 'name="broken"')


def broken_port(good):
    text = cluster_xml(plain(good) + [(_Named("badport", "http://127.0.0.1:99999"), {})], POLL)
    return text, line_of(text, 'name="badport"')


class _Named:
    """An instance description without a running backend."""

    def __init__(self, instance, listener=None):
        self.instance, self.listener = instance, listener


class BrokenFile(ReloadTestCase):
    CLIENTS = 50

    def test_broken_file_under_load_keeps_the_old_config_logs_once_and_fixed_file_loads(self):
        backends = self.start_backends(("1.0", "1.0"), prefix="s")
        httpd, manager = self.start_reloadable(plain(backends), POLL)
        gen = generation(manager.status())
        with SessionLoad(httpd.base_url, self.CLIENTS, new_session_clients=2) as load:
            load.wait_requests(200)
            load.phase = "broken"
            seen = []
            for make in (broken_missing_listener, broken_port):
                text, line = make(backends)
                httpd.write_xml(text)
                seen += self.refused_once(httpd, manager, gen, line)
            self.assertEqual([self.error_lines(httpd, e) for e in seen], [1] * len(seen),
                             "still one line per distinct bad content")
            load.phase = "fixed"
            httpd.write_xml(cluster_xml([(b, {"weight": 3}) for b in backends], POLL))
            self.assertTrue(process.wait_until(
                lambda: generation(manager.status()) == gen + 1, POLL + 1),
                "the fixed file is loaded at the next poll")
            load.wait_requests(200)
        status = manager.status()
        self.assertTrue(status["last_reload"]["ok"], status["last_reload"])
        self.assertEveryChildRuns(manager, gen + 1)
        self.assertEqual(load.failures, [], "no request may fail")
        self.assertEqual(load.moved(), [])
        self.assertGreater(load.by_phase.get("broken", 0), 0)

    def refused_once(self, httpd, manager, gen, line):
        """Waits for the poll to refuse the file: the status shows its errors, the old
        generation serves, and the log has each error once, file:line and message as
        lbxml-gen validate prints them. Returns those errors."""
        expected = self.validate_says(httpd.xml_path)
        self.assertTrue(any(f"{httpd.xml_path}:{line}:" in e for e in expected), expected)

        def refused():
            last = manager.status()["last_reload"]
            return not last["ok"] and all(e in _text(last["errors"]) for e in expected)

        self.assertTrue(process.wait_until(refused, POLL + 1), manager.status()["last_reload"])
        self.assertEqual(generation(manager.status()), gen, "the old config serves")
        # Three more polls of the same bad content must log nothing more: waiting is the test.
        time.sleep(3 * POLL + 0.5)
        self.assertEqual([self.error_lines(httpd, e) for e in expected], [1] * len(expected),
                         expected)
        self.assertEveryChildRuns(manager, gen)
        return expected

    @staticmethod
    def error_lines(httpd, where):
        return sum(1 for line in httpd.error_log().splitlines() if where in line)

    def validate_says(self, path):
        tool = paths.lbxml_gen()
        if not tool.exists():
            self.skipTest(f"{tool} not built")
        done = subprocess.run([str(tool), "validate", str(path)], capture_output=True,
                              text=True, timeout=30)
        self.assertNotEqual(done.returncode, 0, done.stdout)
        lines = [line for line in (done.stdout + done.stderr).splitlines()
                 if str(path) in line]
        self.assertTrue(lines, done.stdout + done.stderr)
        return lines


def _text(errors):
    return "\n".join(errors) if isinstance(errors, list) else str(errors)


class GrowthReserve(ReloadTestCase):
    GROWTH = 2

    def test_past_the_reserve_is_refused_old_config_serves_and_graceful_loads_it(self):
        base = self.start_backend("s1")
        news = self.start_backends(("1.0",) * (self.GROWTH + 1), prefix="n")
        httpd, manager = self.start_reloadable([(base, {})], NO_POLL, policy="round-robin",
                                               conf=f"ZduGrowth {self.GROWTH}\n")
        gen = generation(manager.status())
        for k in range(1, self.GROWTH + 1):
            httpd.write_xml(cluster_xml(plain([base] + news[:k]), NO_POLL, policy="round-robin"))
            gen = self.reload_ok(manager, gen + 1)
        httpd.write_xml(cluster_xml(plain([base] + news), NO_POLL, policy="round-robin"))
        status, answer = manager.reload()
        self.assertNotEqual(status, 200, answer)
        self.assertIn(GRACEFUL, _text(answer.get("errors") or answer.get("error")), answer)
        last = manager.status()["last_reload"]
        self.assertFalse(last["ok"], last)
        self.assertIn(GRACEFUL, _text(last["errors"]))
        self.assertEveryChildRuns(manager, gen)
        homes = collections.Counter(self.login_homes(self.client(httpd), 30))
        self.assertEqual(set(homes), {"s1", "n1", "n2"}, "the old config serves")

        httpd.graceful()
        last_name = news[-1].instance
        client = self.client(httpd)
        self.assertTrue(process.wait_until(
            lambda: last_name in self.login_homes(client.fresh(), 8), 10.0),
            f"{last_name} takes sessions after the graceful restart")
        def names():
            return {i["name"] for i in manager.status()["clusters"][0]["instances"]}

        self.assertTrue(process.wait_until(lambda: names() == {"s1", "n1", "n2", "n3"}, 10.0),
                        names())


class StateCarriesOver(ReloadTestCase):
    def by_name(self, manager):
        return {i["name"]: i for i in manager.status()["clusters"][0]["instances"]}

    def test_route_counters_admin_state_and_round_robin_position_survive_a_reload(self):
        backends = self.start_backends(("1.0",) * 3, prefix="s")
        httpd, manager = self.start_reloadable(plain(backends), NO_POLL, policy="round-robin")
        client = self.client(httpd)
        homes = self.login_homes(client, 4)  # e.g. s1 s2 s3 s1: the schedule's order
        cycle = homes[:3]
        self.assertEqual(sorted(cycle), ["s1", "s2", "s3"])
        following = cycle[(cycle.index(homes[-1]) + 1) % 3]
        # Disabled by the manager: the one the schedule reaches last, so it moves nothing.
        disabled = cycle[(cycle.index(homes[-1]) + 2) % 3]
        self.assertEqual(manager.command("POST", cmd="disable-instance",
                                         instance=disabled).status, 200)
        before = self.by_name(manager)
        gen = generation(manager.status())
        # Only a property changes: the same schedule, so the position must carry on from it.
        httpd.write_xml(loadbalancer_xml(
            [{"name": "c1", "policy": "round-robin",
              "instances": [{"name": b.instance, "listeners": b.listener} for b in backends],
              "web_modules": [{"context_root": "/app"}]}],
            {"reload-poll-interval-in-seconds": NO_POLL, "response-timeout-in-seconds": 30}))
        self.reload_ok(manager, gen + 1)
        after = self.by_name(manager)
        for name in cycle:
            self.assertEqual(after[name]["route"], before[name]["route"], name)
            for counter in ("requests", "new_sessions"):
                self.assertGreaterEqual(after[name]["counters"][counter],
                                        before[name]["counters"][counter], "counters kept")
            self.assertEqual(after[name]["admin_state"], before[name]["admin_state"], name)
        self.assertGreater(after[homes[0]]["counters"]["new_sessions"], 1)
        self.assertEqual(after[disabled]["admin_state"], "disabled")
        self.assertEqual(self.login_homes(client, 1), [following], "round-robin carried on")
        self.assertNotIn(disabled, self.login_homes(client, 6), "still disabled")

    def test_sessions_of_a_removed_instance_keep_reaching_it_new_ones_do_not(self):
        backends = self.start_backends(("1.0",) * 2, prefix="s")
        httpd, manager = self.start_reloadable(plain(backends), NO_POLL, policy="round-robin")
        sessions = [self.client(httpd).fresh() for _ in range(6)]
        homes = [c.get(LOGIN).json()["instance"] for c in sessions]
        self.assertIn("s2", homes)
        gen = generation(manager.status())
        httpd.write_xml(cluster_xml(plain(backends[:1]), NO_POLL, policy="round-robin"))
        self.reload_ok(manager, gen + 1)
        for client, home in zip(sessions, homes):
            self.assertEqual([client.get(PAGE).json()["instance"] for _ in range(3)],
                             [home] * 3, "within disable-timeout-in-minutes a session stays")
        self.assertNotIn("s2", self.login_homes(self.client(httpd), 10))
        removed = self.by_name(manager)["s2"]
        self.assertTrue(removed["removed"], removed)
        self.assertGreater(removed["counters"]["requests"], 0, "its counters stay visible")


class Polling(ReloadTestCase):
    def test_a_touched_file_is_no_reload_a_changed_one_is_within_the_poll_interval(self):
        backends = self.start_backends(("1.0", "1.0"), prefix="s")
        httpd, manager = self.start_reloadable(plain(backends), POLL)
        first = manager.status()
        os.utime(httpd.xml_path)  # a new mtime, the same content
        # Two polls see the new mtime: waiting is the test.
        time.sleep(2 * POLL + 0.5)
        self.assertEqual(generation(manager.status()), generation(first), "content, not mtime")
        httpd.write_xml(cluster_xml([(b, {"weight": 7}) for b in backends], POLL))
        self.assertTrue(process.wait_until(
            lambda: generation(manager.status()) == generation(first) + 1, POLL + 1))
        now = manager.status()
        self.assertNotEqual(now["config_hash"], first["config_hash"])
        self.assertGreater(now["loaded_at_ms"], first["loaded_at_ms"])
        self.assertTrue(now["last_reload"]["ok"], now["last_reload"])
        self.assertEqual({i["weight"] for i in now["clusters"][0]["instances"]}, {7})
        self.assertEveryChildRuns(manager, generation(first) + 1)


class Secret(ReloadTestCase):
    def test_reload_without_the_secret_is_refused_and_changes_nothing(self):
        base = self.start_backend("s1")
        added = self.start_backend("a1")
        httpd, manager = self.start_reloadable([(base, {})], NO_POLL, policy="round-robin")
        gen = generation(manager.status())
        httpd.write_xml(cluster_xml(plain([base, added]), NO_POLL, policy="round-robin"))
        for secret in (None, "wrong", ""):
            status, answer = manager.reload(secret=secret)
            self.assertEqual(status, 403, answer)
            self.assertFalse(answer["ok"])
        get = manager.command("GET", cmd="reload")
        self.assertEqual(get.status, 405, "reload changes the config: POST only")
        self.assertEveryChildRuns(manager, gen)
        names = {i["name"] for i in manager.status()["clusters"][0]["instances"]}
        self.assertEqual(names, {"s1"})
        self.assertNotIn("a1", self.login_homes(self.client(httpd), 10))
        self.assertEqual(added.stats()["requests"], 0)

        self.reload_ok(manager, gen + 1)  # the same file with the secret: it was loadable
        self.assertIn("a1", self.login_homes(self.client(httpd), 10))


if __name__ == "__main__":
    unittest.main()
