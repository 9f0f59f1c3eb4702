"""Stop and start under a draining v1: the new shared memory knows none of the sessions that
come back, so they are honoured by their route and counted untracked, and no v1 instance is
reported drained while its users' sessions are still coming back (nor within the session
timeout of the restart). Drain states and clocks survive: a drained instance is not drained
again and its command does not run again; a drain timeout counts from the original retirement."""
import time
import unittest

from upgrade_common import MINUTE, SLACK, SWEEP, UpgradeTestCase, properties

TIMEOUT_MINUTES = 3  # zdu-session-timeout-in-minutes: 3 * MINUTE seconds


class StopStart(UpgradeTestCase):
    def start_v1_with_users_then_v2(self, browsers=5, **props):
        self.a1 = self.start_backend("a1", "1.0")
        self.b1 = self.start_backend("b1", "2.0")
        self.start_upgrade([(self.a1, {})], props=properties(**props))
        users = [self.client(self.httpd) for _ in range(browsers)]
        for client in users:
            self.assertEqual(self.login(client), ("a1", "1.0"))
        self.rewrite([(self.a1, {}), (self.b1, {})])
        self.wait_state("a1", "draining", SWEEP + 2 * SLACK)
        return users

    def restart(self):
        self.httpd.stop()
        self.httpd.start()
        return time.monotonic()

    def test_no_v1_instance_drained_while_its_sessions_come_back_after_stop_start(self):
        browsers = self.start_v1_with_users_then_v2(session_timeout=TIMEOUT_MINUTES)
        started = self.restart()
        poller = self.poll_states()
        timeout = TIMEOUT_MINUTES * MINUTE
        last = started
        while time.monotonic() < started + timeout - 1.0:
            for client in browsers:
                self.assertServedBy(client.get("/app/page"), "a1", "honoured by its route")
            last = time.monotonic()
            time.sleep(0.4)
        self.assertEqual(self.login(self.client(self.httpd)), ("b1", "2.0"))
        a1 = self.instances()["a1"]
        self.assertEqual(a1["untracked_sessions"], len(browsers), a1)
        self.assertEqual(a1["state"], "draining")
        drained = self.wait_state("a1", "drained", timeout + SWEEP + 2 * SLACK)
        poller.stop()
        self.assertNotIn("drained", [s for t, s in poller.changes["a1"] if t < last + SLACK],
                         "not drained while its users came back")
        self.assertGreaterEqual(drained - last, timeout - SLACK,
                                "drained once the untracked sessions idled out")
        self.assertEqual(self.drained.calls(), [("c1", "a1", "1.0")])

    def test_a_drained_instance_stays_drained_and_its_command_does_not_run_again(self):
        browsers = self.start_v1_with_users_then_v2(browsers=2)
        for client in browsers:
            client.get("/app/logout")
        self.wait_state("a1", "drained", SWEEP + 2 * SLACK)
        before = self.instances()["a1"]
        self.restart()
        time.sleep(2 * SWEEP + SLACK)  # sweeps that could drain it again: waiting is the test
        after = self.instances()["a1"]
        self.assertEqual(after["state"], "drained")
        self.assertEqual(after["drained_since_ms"], before["drained_since_ms"])
        self.assertEqual(self.drained.calls(), [("c1", "a1", "1.0")], "run once, not again")
        self.assertEqual(self.httpd.error_log().count("ZDU0130"), 1,
                         "drained is logged once (the error log is kept across the restart)")

    def test_draining_clock_survives_and_the_drain_timeout_counts_from_the_retirement(self):
        a1, a2 = self.start_backends(("1.0", "1.0"), prefix="a")
        timeout = {"disable_timeout": 3}
        self.start_upgrade([(a1, dict(timeout)), (a2, dict(timeout))])
        browser = self.sessions_on("a2", 1)[0]
        self.disable_instance("a2")
        retired = time.monotonic()
        self.wait_state("a2", "draining", SWEEP + 2 * SLACK)
        since = self.instances()["a2"]["draining_since_ms"]
        # Restarted late enough that a drain clock started again would end past the deadline.
        time.sleep(2 * MINUTE)
        self.restart()
        self.assertEqual(self.instances()["a2"]["draining_since_ms"], since)
        self.assertServedBy(browser.get("/app/page"), "a2", "still draining, still sticky")
        deadline = 3 * MINUTE
        drained = self.wait_state("a2", "drained", deadline + SWEEP + 2 * SLACK)
        self.assertLessEqual(drained - retired, deadline + SWEEP + SLACK,
                             "the deadline did not restart with httpd")
        self.assertEqual(self.instances()["a2"]["admin_state"], "disabled")


if __name__ == "__main__":
    unittest.main()
