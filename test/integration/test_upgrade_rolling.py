"""Rolling upgrade under load, the issue's first acceptance: 200 simulated users log in, read
pages and log out, again and again, on v1 (two instances); v2 (two instances) is added by
rewriting the xml (picked up by the poll). No request fails; every request of every session
reaches the instance that created it; every session started later than one poll after the
switch is on v2; each v1 instance is reported drained within one sweep interval after its last
user left, its ZduDrainedCommand runs exactly once, and stopping it then causes no error.
With a health checker, an added v2 instance takes new sessions only after its first passing
check."""
import time
import unittest

from harness import process
from harness.users import Users
from upgrade_common import POLL, SLACK, SWEEP, UpgradeTestCase

USERS = 200
PAGES = 5
THINK = 0.1  # seconds between a user's requests: 200 users stay within two shared cores


class RollingUpgradeUnderLoad(UpgradeTestCase):
    def wait_poller_saw(self, poller, instance, state, timeout=5.0):
        deadline = time.monotonic() + timeout
        while state not in poller.states(instance):
            self.assertLess(time.monotonic(), deadline, (instance, poller.states(instance)))
            time.sleep(0.05)

    def test_v1_to_v2_under_200_users_fails_nothing_moves_nothing_and_drains_v1(self):
        v1 = self.start_backends(("1.0", "1.0"), prefix="a")
        v2 = self.start_backends(("2.0", "2.0"), prefix="b")
        self.start_upgrade([(b, {}) for b in v1])
        poller = self.poll_states()
        # One browser per v1 instance that logs out only once the poller has seen the instance
        # draining: the users' short sessions may all end between two samples of a loaded
        # machine, and the lifecycle asserted below must not hang on that.
        stragglers = {b.instance: self.sessions_on(b.instance, 1)[0] for b in v1}
        gen = self.generation()
        users = Users(self.httpd.base_url, USERS, pages=PAGES, think=THINK).start()
        straggler_end = {}
        try:
            time.sleep(2.0)  # every user has a v1 session, most a few by now
            self.assertEqual({self.state_of(b.instance) for b in v1}, {"active"})
            written = self.rewrite([(b, {}) for b in v1 + v2], reload=False)
            switched = self.wait_generation(gen + 1)
            self.assertLessEqual(switched - written, POLL + 2 * SLACK, "picked up by the poll")
            for b in v1:
                self.wait_state(b.instance, "draining", timeout=SWEEP + 2 * SLACK)
                self.wait_poller_saw(poller, b.instance, "draining")
                client = stragglers.pop(b.instance)
                self.assertEqual(client.get("/app/logout").status, 200)
                straggler_end[b.instance] = time.monotonic()
                client.close()
            # The users' v1 sessions end as they log out; then both v1 instances drain.
            for b in v1:
                self.wait_state(b.instance, "drained", timeout=10 * PAGES * THINK + 10)
            for b in v1:
                b.stop()  # the orchestrator's answer to the drained command
            time.sleep(2.0)  # the load runs on v2 alone for a while
        finally:
            result = users.stop()
        poller.stop()

        self.assertEqual(result.failures, [], result.summary())
        self.assertEqual(result.violations(), [], "every request reaches its session's home")
        # One poll after the xml was written; the bound on the poll itself is asserted above.
        later = result.started_after(max(written + POLL, switched))
        self.assertGreater(len(later), USERS, "users kept starting sessions after the switch")
        self.assertEqual({s.version for s in later}, {"2.0"},
                         [(s.user, s.home) for s in later if s.version != "2.0"][:10])
        self.assertEqual(set(result.homes(later)), {"b1", "b2"}, "both v2 instances take them")
        before = [s for s in result.sessions if s.started < written]
        self.assertEqual({s.version for s in before}, {"1.0"})

        for b in v1:
            last = result.last_end(b.instance)
            self.assertIsNotNone(last, f"{b.instance}'s sessions all ended")
            last = max(last, straggler_end[b.instance])
            drained = poller.first(b.instance, "drained")
            self.assertIsNotNone(drained, poller.states(b.instance))
            self.assertGreaterEqual(drained, last - SLACK, "not drained before its last logout")
            self.assertLessEqual(drained - last, SWEEP + SLACK,
                                 f"{b.instance} drained within one sweep of its last logout")
            self.assertEqual(poller.states(b.instance), ["active", "draining", "drained"],
                             "one way through the lifecycle")
        for b in v2:
            self.assertEqual(set(poller.states(b.instance)), {"active"})
        self.assertEqual(sorted(self.drained.calls()), [("c1", "a1", "1.0"), ("c1", "a2", "1.0")],
                         "the drained command ran once per v1 instance")
        self.assertEqual(poller.errors, [])

        status = self.instances()
        for b in v1:
            self.assertEqual(status[b.instance]["live_sessions"], 0)
            self.assertEqual(status[b.instance]["untracked_sessions"], 0)
            self.assertGreater(status[b.instance]["drained_since_ms"], 0)
        log = self.httpd.error_log()
        self.assertEqual(log.count("ZDU0130"), 2, "drained is logged once per v1 instance")
        self.assertEqual([line for line in log.splitlines() if "proxy:error" in line], [],
                         "stopping a drained instance makes no proxy error")


class AddedVersionWithHealthChecker(UpgradeTestCase):
    INTERVAL = 1

    def test_v2_takes_new_sessions_only_after_its_first_passing_check(self):
        a1 = self.start_backend("a1", "1.0")
        b1 = self.start_backend("b1", "2.0", health_status=503)
        checked = {"health_checker": {"url": "/app/health", "interval": self.INTERVAL,
                                      "timeout": 2}}
        self.start_upgrade([(a1, {})], cluster_attrs=checked)
        self.rewrite([(a1, {}), (b1, {})], cluster_attrs=checked)
        added = time.monotonic()
        while time.monotonic() < added + 3 * self.INTERVAL:
            self.assertEqual(set(self.new_homes(5)), {"a1"},
                             "v2 failing its checks is not the active version")
        self.assertEqual(self.state_of("a1"), "active")
        stats = b1.stats()
        self.assertEqual(stats["requests"] - stats["pings"], 0,
                         "no user request reached the failing v2, only its checks")

        b1.opts["health_status"] = 200
        b1.restart()  # the same port, now passing
        healthy = time.monotonic()
        self.assertTrue(process.wait_until(lambda: self.new_homes(1) == ["b1"],
                                           2 * self.INTERVAL + SLACK + 2, interval=0.1),
                        "v2 active after its first passing check")
        self.assertLessEqual(time.monotonic() - healthy, 2 * self.INTERVAL + SLACK + 2)
        self.assertEqual(set(self.new_homes(10)), {"b1"})
        self.wait_state("a1", "drained", SWEEP + 2 * SLACK)


if __name__ == "__main__":
    unittest.main()
