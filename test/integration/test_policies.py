"""New-session policies other than round-robin: a user-defined policy module (the sample in
test/policy-sample decides; modules that cannot serve stop httpd from starting, naming the file)
and the adaptive policy (new sessions avoid an instance under slow load)."""
import collections
import concurrent.futures
import os
import re
import shutil
import threading
import time
import unittest

from harness import Client, Httpd, ZduTestCase, cluster_of, loadbalancer_xml, paths, process
from harness.testcase import REQUIRE_ENV

POLICY_DIR = ("test", "policy-sample")
SAMPLE = "zdu_sample_policy.so"
WRONG_VERSION = "zdu_policy_wrong_version.so"
INIT_FAILS = "zdu_policy_init_fails.so"
ROUTES = [{"route": "r1"}, {"route": "r2"}, {"route": "r3"}]


def policy_module(name):
    return paths.build_dir().joinpath(*POLICY_DIR, name)


def user_defined(module):
    return {"policy": "user-defined", "policy_module": str(module)}


class PolicyModuleTestCase(ZduTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not policy_module(SAMPLE).exists() and not os.environ.get(REQUIRE_ENV):
            raise unittest.SkipTest(f"{policy_module(SAMPLE)} not built")

    def logins(self, httpd, count, path="/app/login"):
        """The instance each of `count` new sessions went to."""
        return collections.Counter(self.client(httpd).fresh().get(path).json()["instance"]
                                   for _ in range(count))

    def configtest(self, module, cluster_attrs=None):
        backends = self.start_backends(("1.0",))
        attrs = dict(user_defined(module), **(cluster_attrs or {}))
        httpd = Httpd(self.make_tmpdir(), loadbalancer_xml([cluster_of(backends,
                                                                       cluster_attrs=attrs)]))
        return httpd.configtest()


class UserDefinedPolicy(PolicyModuleTestCase):
    def test_sample_module_chooses_new_sessions(self):
        httpd, _ = self.start_cluster(versions=("1.0",) * 3,
                                      cluster_attrs=user_defined(policy_module(SAMPLE)))
        self.assertEqual(self.logins(httpd, 30), {"i3": 30}, "the name that sorts last")
        self.assertIn("ZDU0040", httpd.error_log())
        self.assertIn("sample: last name", httpd.error_log())

    def test_module_chooses_among_instances_that_take_sessions(self):
        httpd, _ = self.start_cluster(
            versions=("1.0",) * 3, cluster_attrs=user_defined(policy_module(SAMPLE)),
            instance_attrs=[{}, {}, {"enabled": "false"}])
        self.assertEqual(self.logins(httpd, 20), {"i2": 20})

    def test_existing_sessions_stay_on_their_instance(self):
        httpd, _ = self.start_cluster(versions=("1.0",) * 3, instance_attrs=ROUTES,
                                      cluster_attrs=user_defined(policy_module(SAMPLE)))
        client = self.client(httpd)
        for _ in range(10):
            self.assertServedBy(client.get("/app/page", headers={"Cookie": "JROUTE=r1"}), "i1")

    def test_no_choice_falls_back_to_round_robin(self):
        httpd, _ = self.start_cluster(versions=("1.0",) * 3,
                                      cluster_attrs=user_defined(policy_module(SAMPLE)))
        # Each child keeps its own fallback position, so every child that gets three or more
        # of these reaches all three instances.
        counts = self.logins(httpd, 30, "/app/no-choice/login")
        self.assertEqual(set(counts), {"i1", "i2", "i3"}, counts)

    def test_module_reloads_across_graceful_restarts(self):
        backends = self.start_backends(("1.0",) * 3)
        attrs = user_defined(policy_module(SAMPLE))

        def xml(i3_enabled):
            instances = [{}, {}, {"enabled": i3_enabled}]
            return loadbalancer_xml([cluster_of(backends, cluster_attrs=attrs,
                                                instance_attrs=instances)])

        httpd = self.start_httpd(xml(True))
        self.assertEqual(self.logins(httpd, 10), {"i3": 10})
        httpd.write_xml(xml(False))
        httpd.graceful()
        self.assertEqual(self.logins(httpd, 10), {"i2": 10})
        httpd.write_xml(xml(True))
        httpd.graceful()
        self.assertEqual(self.logins(httpd, 10), {"i3": 10})

    def test_module_path_relative_to_server_root(self):
        backends = self.start_backends(("1.0", "1.0"))
        httpd = Httpd(self.make_tmpdir())
        (httpd.root / "policies").mkdir()
        shutil.copy(policy_module(SAMPLE), httpd.root / "policies" / "sample.so")
        attrs = user_defined("policies/sample.so")
        httpd.write_xml(loadbalancer_xml([cluster_of(backends, cluster_attrs=attrs)]))
        self.addCleanup(httpd.stop)
        httpd.start()
        self.assertEqual(self.logins(httpd, 10), {"i2": 10})


class PolicyTeardown(PolicyModuleTestCase):
    """A policy is torn down only by httpd's parent, through the config pool, where no thread
    runs: never by a child's exit, whose watchdog and ping threads may still be running."""
    EXITING_CHILDREN = "MaxConnectionsPerChild 2\n"

    def start_with_sample(self, **opts):
        checker = {"url": "/health", "interval": 1, "timeout": 1}
        return self.start_cluster(versions=("1.0",) * 2, cluster_attrs=dict(
            user_defined(policy_module(SAMPLE)), health_checker=checker), **opts)

    def destroyed_in(self, httpd):
        """The pids of the processes that ran the sample's destroy(), one per call."""
        return [int(pid) for pid in re.findall(r"sample: destroy in process (\d+)",
                                               httpd.error_log())]

    def wait_for_exit(self, httpd, pids):
        gone = process.wait_until(lambda: not set(pids) & set(httpd.child_pids()), 15.0)
        self.assertTrue(gone, f"children {pids} did not exit")

    def assertOnlyParent(self, httpd):
        parent = httpd.proc.pid
        children = [pid for pid in self.destroyed_in(httpd) if pid != parent]
        self.assertEqual(children, [], "destroy() ran in exiting children")
        self.assertNotIn("exit signal", httpd.error_log())

    def test_children_that_exit_never_run_destroy(self):
        httpd, _ = self.start_with_sample(extra_conf=self.EXITING_CHILDREN)
        first = httpd.child_pids()
        for _ in range(10 * len(first)):
            with Client(httpd.base_url) as client:  # a connection each: children use theirs up
                self.assertEqual(client.get("/app/login").status, 200)
        self.wait_for_exit(httpd, first)
        self.assertOnlyParent(httpd)

    def test_graceful_restart_tears_down_in_the_parent(self):
        httpd, _ = self.start_with_sample()
        before = len(self.destroyed_in(httpd))
        old = httpd.child_pids()
        httpd.graceful()
        self.wait_for_exit(httpd, old)
        self.assertEqual(self.logins(httpd, 5), {"i2": 5}, "the new generation's policy")
        self.assertGreater(len(self.destroyed_in(httpd)), before, "the old policy went")
        self.assertOnlyParent(httpd)


class PolicyModuleErrors(PolicyModuleTestCase):
    def assertRefused(self, module, *fragments):
        rc, output = self.configtest(module)
        self.assertNotEqual(rc, 0, output)
        for text in ("ZDU0041", "cluster 'c1'", str(module)) + fragments:
            self.assertIn(text, output)

    def test_missing_module(self):
        missing = policy_module("no_such_policy.so")
        self.assertRefused(missing, "No such file")

    def test_library_without_entry_point(self):
        self.assertRefused(paths.module_path(), "zdu_policy_entry")

    def test_unknown_interface_version(self):
        self.assertRefused(policy_module(WRONG_VERSION), "interface version 99")

    def test_init_refuses(self):
        self.assertRefused(policy_module(INIT_FAILS), "init failed: refusing cluster c1")

    def test_sample_module_passes(self):
        rc, output = self.configtest(policy_module(SAMPLE))
        self.assertEqual(rc, 0, output)


SLOW_MS = 400
SLOW_CLIENTS = 4
NEW_SESSIONS = 100


class AdaptivePolicy(ZduTestCase):
    def slow_load(self, httpd, route):
        """Clients that keep SLOW_CLIENTS slow requests in flight on the instance of `route`
        until the test ends."""
        stop = threading.Event()

        def keep_busy():
            client = self.client(httpd)
            while not stop.is_set():
                client.get(f"/app/slow?ms={SLOW_MS}", headers={"Cookie": f"JROUTE={route}"})

        pool = concurrent.futures.ThreadPoolExecutor(SLOW_CLIENTS)
        futures = [pool.submit(keep_busy) for _ in range(SLOW_CLIENTS)]
        self.addCleanup(pool.shutdown)
        self.addCleanup(stop.set)
        return futures

    def test_new_sessions_avoid_the_slow_instance(self):
        httpd, _ = self.start_cluster(versions=("1.0", "1.0"), instance_attrs=ROUTES[:2],
                                      cluster_attrs={"policy": "adaptive"})
        futures = self.slow_load(httpd, "r2")
        time.sleep(3 * SLOW_MS / 1000)  # a few slow responses in i2's average
        counts = self.logins_in_parallel(httpd)
        self.assertEqual(sum(counts.values()), NEW_SESSIONS)
        self.assertGreaterEqual(counts["i1"], NEW_SESSIONS * 0.7, counts)
        for f in futures:
            self.assertFalse(f.done() and f.exception(), "the slow load kept running")

    def test_serves_every_new_session(self):
        httpd, _ = self.start_cluster(versions=("1.0", "1.0"),
                                      cluster_attrs={"policy": "adaptive"})
        counts = self.logins_in_parallel(httpd)
        self.assertEqual(sum(counts.values()), NEW_SESSIONS)
        self.assertIn("ZDU0040", httpd.error_log())
        self.assertIn("adaptive", httpd.error_log())

    def logins_in_parallel(self, httpd, threads=4):
        def login(_):
            return self.client(httpd).fresh().get("/app/login").json()["instance"]

        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            return collections.Counter(pool.map(login, range(NEW_SESSIONS)))


if __name__ == "__main__":
    unittest.main()
