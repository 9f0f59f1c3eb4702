"""The active health checker (<health-checker> per cluster): one for the whole server however
many children httpd has, brings failed instances back, takes failing ones out after
number-healthcheck-retries, stays off with interval 0, and survives graceful restarts
(real httpd, real backends)."""
import collections
import os
import re
import signal
import time
import unittest

from harness import ZduTestCase
from harness.process import wait_until
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

ACTIVE = {"active-healthcheck-enabled": "true"}
CRASH_SIGNS = ("Segmentation fault", "exit signal")


class HealthCheckerTestCase(ZduTestCase):
    def start_checked(self, health_statuses=(200, 200), interval=1, timeout=2,
                      properties=None, **httpd_opts):
        """Backends i1..iN, /health answering the given statuses, in one checked cluster."""
        backends = [self.start_backend(f"i{n}", "1.0", health_status=status)
                    for n, status in enumerate(health_statuses, start=1)]
        cluster = cluster_of(backends)
        cluster["health_checker"] = {"url": "/app/health", "interval": interval,
                                     "timeout": timeout}
        httpd = self.start_httpd(loadbalancer_xml([cluster], properties), **httpd_opts)
        return httpd, backends

    def wait_for_pings(self, backends, timeout=10):
        """Returns once the checker has pinged every backend."""
        pinged = wait_until(lambda: all(b.stats()["pings"] for b in backends), timeout)
        self.assertTrue(pinged, "the checker never pinged every backend")

    def pings_over(self, backends, seconds):
        for b in backends:
            b.reset_stats()
        time.sleep(seconds)
        return {b.instance: b.stats()["pings"] for b in backends}

    def new_sessions(self, httpd, count):
        """The instances `count` fresh logins land on."""
        served = collections.Counter()
        browser = self.client(httpd)
        for _ in range(count):
            response = browser.fresh().get("/app/login")
            self.assertEqual(response.status, 200, response.text)
            served[response.json()["instance"]] += 1
        return served

    def log_lines(self, httpd, log_id, instance=None):
        pattern = re.compile(rf"{log_id}: .*instance {instance} " if instance else f"{log_id}: ")
        return [line for line in httpd.error_log().splitlines() if pattern.search(line)]

    def checker_pid(self, httpd):
        """The process the checker of the latest config generation runs in."""
        started = self.log_lines(httpd, "ZDU0020")
        self.assertTrue(started, "the checker started")
        return int(re.search(r"in process (\d+)", started[-1]).group(1))

    def assertNoCrash(self, httpd):
        log = httpd.error_log()
        for sign in CRASH_SIGNS:
            self.assertNotIn(sign, log)


class OneCheckerPerServer(HealthCheckerTestCase):
    def test_each_instance_is_pinged_once_per_interval_whatever_the_children(self):
        httpd, backends = self.start_checked((200, 200, 200), interval=1, properties=ACTIVE,
                                             servers=3)
        self.assertGreaterEqual(len(httpd.child_pids()), 3, "several children serve")
        self.wait_for_pings(backends)
        for instance, pings in self.pings_over(backends, 5).items():
            self.assertTrue(3 <= pings <= 7, f"{instance}: {pings} pings in 5 s, not ~5")
        started = self.log_lines(httpd, "ZDU0020")
        self.assertEqual(len(started), 1, started)

    def test_one_checker_under_the_other_mpms(self):
        for mpm in ("worker", "prefork"):
            with self.subTest(mpm=mpm):
                httpd, backends = self.start_checked((200, 200), interval=1,
                                                     properties=ACTIVE, mpm=mpm)
                self.wait_for_pings(backends)
                for instance, pings in self.pings_over(backends, 4).items():
                    self.assertTrue(2 <= pings <= 6, f"{mpm} {instance}: {pings} in 4 s")
                httpd.stop()

    def test_another_child_takes_over_when_the_checking_one_dies(self):
        httpd, backends = self.start_checked((200, 200), interval=1, properties=ACTIVE)
        self.wait_for_pings(backends)
        checker = self.checker_pid(httpd)
        os.kill(checker, signal.SIGKILL)
        for b in backends:
            b.reset_stats()
        # mod_watchdog lets a new holder of the mutex wait 10 s before it runs.
        self.wait_for_pings(backends, timeout=20)
        started = self.log_lines(httpd, "ZDU0020")
        self.assertEqual(len(started), 2, started)
        self.assertNotIn(f"process {checker}:", started[1])
        for instance, pings in self.pings_over(backends, 4).items():
            self.assertTrue(2 <= pings <= 6, f"{instance}: {pings} pings in 4 s")


class BackInRotation(HealthCheckerTestCase):
    def test_restarted_instance_takes_new_sessions_within_one_interval(self):
        interval = 1
        httpd, backends = self.start_checked((200, 200, 200), interval=interval)
        backends[0].kill9()
        served = self.new_sessions(httpd, 6)
        self.assertNotIn("i1", served, "a dead instance takes no session")
        self.assertTrue(wait_until(lambda: self.log_lines(httpd, "ZDU0014", "i1"), 5),
                        "traffic marked i1 unhealthy")
        self.assertEqual(self.new_sessions(httpd, 6)["i1"], 0, "i1 stays out while down")

        backends[0].restart()
        restarted = time.monotonic()

        def i1_takes_sessions():
            return self.new_sessions(httpd, 3)["i1"] > 0

        self.assertTrue(wait_until(i1_takes_sessions, interval + 2, interval=0.1),
                        "i1 back within one health interval")
        self.assertLess(time.monotonic() - restarted, interval + 2)
        self.assertGreaterEqual(backends[0].stats()["pings"], 1, "the checker brought it back")
        self.assertTrue(self.log_lines(httpd, "ZDU0015", "i1"))

    def test_without_active_checks_healthy_instances_are_not_pinged(self):
        httpd, backends = self.start_checked((200, 200), interval=1)
        self.new_sessions(httpd, 4)
        self.assertEqual(self.pings_over(backends, 3), {"i1": 0, "i2": 0})


class ActiveChecks(HealthCheckerTestCase):
    def test_status_above_500_takes_an_instance_out_and_404_does_not(self):
        interval = 1
        httpd, backends = self.start_checked(
            (200, 503, 404), interval=interval,
            properties=dict(ACTIVE, **{"number-healthcheck-retries": 2}))
        self.assertTrue(wait_until(lambda: self.log_lines(httpd, "ZDU0014", "i2"),
                                   2 * interval + 4), "i2 (503) marked unhealthy")
        failed_checks = self.log_lines(httpd, "ZDU0021", "i2")
        self.assertGreaterEqual(len(failed_checks), 1, "a first failed check only counts")
        served = self.new_sessions(httpd, 30)
        self.assertEqual(served["i2"], 0, served)
        self.assertGreater(served["i1"], 0, served)
        self.assertGreater(served["i3"], 0, "404 is healthy (100-500): stays in rotation")
        self.assertFalse(self.log_lines(httpd, "ZDU0014", "i3"))
        self.assertGreaterEqual(backends[1].stats()["pings"], 1, "still pinged while down")

    def test_one_failed_check_is_not_enough(self):
        httpd, _ = self.start_checked((200, 503), interval=1,
                                      properties=dict(ACTIVE,
                                                      **{"number-healthcheck-retries": 1000}))
        time.sleep(3)
        served = self.new_sessions(httpd, 10)
        self.assertGreater(served["i2"], 0, "failing checks below the limit keep it in")
        self.assertTrue(self.log_lines(httpd, "ZDU0021", "i2"))


class ChecksOff(HealthCheckerTestCase):
    def test_interval_zero_or_no_checker_means_no_pings(self):
        off = self.start_backends(("1.0", "1.0"), prefix="off")
        none = self.start_backends(("1.0",), prefix="none")
        zero = cluster_of(off, "c1", "/app")
        zero["health_checker"] = {"url": "/health", "interval": 0, "timeout": 2}
        xml = loadbalancer_xml([zero, cluster_of(none, "c2", "/other")], ACTIVE)
        httpd = self.start_httpd(xml)
        self.assertEqual(self.pings_over(off + none, 3), {"off1": 0, "off2": 0, "none1": 0})
        self.assertFalse(self.log_lines(httpd, "ZDU0020"), "no checker started")


class GracefulRestart(HealthCheckerTestCase):
    def test_still_one_checker_after_graceful_restarts(self):
        httpd, backends = self.start_checked((200, 200), interval=1, properties=ACTIVE)
        self.wait_for_pings(backends)
        for _ in range(2):
            httpd.graceful()
            time.sleep(0.5)
        self.assertEqual(self.new_sessions(httpd, 4).keys(), {"i1", "i2"})
        time.sleep(1)
        for instance, pings in self.pings_over(backends, 5).items():
            self.assertTrue(3 <= pings <= 7, f"{instance}: {pings} pings in 5 s, not ~5")
        self.assertEqual(len(self.log_lines(httpd, "ZDU0020")), 3, "one start per generation")
        self.assertNoCrash(httpd)
        httpd.stop()
        self.assertNoCrash(httpd)

    def test_checks_in_flight_hold_up_neither_restart_nor_stop(self):
        # /app/slow answers after 8 s: the first ping is still running when the restart comes.
        backend = self.start_backend("i1", "1.0")
        cluster = cluster_of([backend])
        cluster["health_checker"] = {"url": "/app/slow?ms=8000", "interval": 1, "timeout": 10}
        httpd = self.start_httpd(loadbalancer_xml([cluster], ACTIVE))
        self.wait_for_pings([backend])
        old_checker = self.checker_pid(httpd)
        began = time.monotonic()
        httpd.graceful()
        self.assertTrue(wait_until(lambda: backend.stats()["pings"] >= 2, 3),
                        "the new generation checks at once")
        self.assertTrue(wait_until(lambda: not os.path.exists(f"/proc/{old_checker}"), 5),
                        "the old generation's checker process is gone")
        httpd.stop()
        self.assertLess(time.monotonic() - began, 8, "no one waited for the running ping")
        self.assertNoCrash(httpd)

if __name__ == "__main__":
    unittest.main()
