"""A rollback to a version whose instances drained past their disable timeout: between the
reload and the sweep that makes them active again, the sessions they take keep reaching them
(they are not retired, so not stale and not moved)."""
import time
import unittest

from upgrade_common import MINUTE, SLACK, SWEEP, UpgradeTestCase, properties


class RollbackWindow(UpgradeTestCase):
    def test_sessions_made_on_a_rolled_back_drained_instance_stick_before_the_next_sweep(self):
        a1 = self.start_backend("a1", "1.0")
        b1 = self.start_backend("b1", "2.0")
        v1 = (a1, {"disable_timeout": 1})
        self.start_upgrade([v1])
        self.rewrite([v1, (b1, {})])
        self.wait_state("a1", "drained", SWEEP + 2 * SLACK)
        time.sleep(MINUTE + SLACK)  # its disable timeout (one minute) has passed too
        # Rollback, with a sweep interval long enough to see what requests meet before it.
        self.props = properties(sweep=60)
        self.rewrite([v1, (b1, {})], cluster_attrs={"active_version": "1.0"})
        browser = self.client(self.httpd)
        self.assertEqual(self.login(browser), ("a1", "1.0"), "new sessions return to v1")
        for _ in range(3):
            response = browser.get("/app/page")
            self.assertEqual(response.status, 200, "not sent away as a stale session")
            self.assertServedBy(response, "a1", "the new session sticks to a1")


if __name__ == "__main__":
    unittest.main()
