"""How the bench reads strace's -c table and sums up the reload-every-second and failover
rows. Made-up input; no server is started."""
import unittest

from zdubench import failover, reload_latency, syscalls

STRACE = """\
% time     seconds  usecs/call     calls    errors syscall
------ ----------- ----------- --------- --------- ----------------
 40.00    0.004000           1      4000       500 read
 30.00    0.003000           1      3000           writev
 20.00    0.002000           2      1000           times
 10.00    0.001000          10       100        20 futex
------ ----------- ----------- --------- --------- ----------------
100.00    0.010000           1      8100       520 total
"""


class StraceSummary(unittest.TestCase):
    def test_calls_and_errors_by_name_without_the_total_line(self):
        parsed = syscalls.parse_summary(STRACE)
        self.assertEqual(parsed, {"read": (4000, 500), "writev": (3000, 0),
                                  "times": (1000, 0), "futex": (100, 20)})

    def test_per_request(self):
        row = syscalls.per_request(syscalls.parse_summary(STRACE), 1000, top=2)
        self.assertAlmostEqual(row["total_per_request"], 8.1)
        self.assertEqual([s["name"] for s in row["syscalls"]], ["read", "writev"])
        self.assertAlmostEqual(row["syscalls"][0]["errors_per_request"], 0.5)
        self.assertAlmostEqual(row["time_calls_per_request"], 1.0)  # times()
        self.assertEqual(row["distinct"], 4)


class ReloadLatencySummary(unittest.TestCase):
    def run_(self, p99):
        return {"rps": 100.0, "p50_ms": 1.0, "p99_ms": p99, "errors": 0, "requests": 300}

    def test_p99_ratio_is_the_median_of_the_rounds(self):
        quiet = [self.run_(4.0), self.run_(5.0), self.run_(10.0)]
        busy = [self.run_(6.0), self.run_(5.0), self.run_(11.0)]
        s = reload_latency.summary(quiet, busy, 3, 9, 0)
        # Rounds 1.5, 1.0, 1.1: median 1.1; the medians' ratio would be 6 / 5.
        self.assertAlmostEqual(s["p99_ratio"], 1.1)
        self.assertEqual(s["p99_ratio_range"], [1.0, 1.5])
        self.assertEqual((s["p99_without_ms"], s["p99_with_ms"]), (5.0, 6.0))
        self.assertEqual(s["reloads"], 9)


class FailoverSummary(unittest.TestCase):
    def test_extra_latency_of_retried_requests(self):
        clean = [0.3] * 98 + [1.0, 2.0]
        retried = [0.5] * 98 + [1.5, 3.0]
        s = failover.summary(retried, clean, 0, 100)
        self.assertAlmostEqual(s["extra"]["p50_ms"], 0.2)
        self.assertAlmostEqual(s["extra"]["p99_ms"], 0.5)  # the 99th of 100: 1.5 - 1.0
        self.assertEqual((s["retried"]["requests"], s["clean"]["requests"]), (100, 100))

    def test_no_retried_request_no_extra(self):
        s = failover.summary([], [0.3, 0.4], 2, 0)
        self.assertIsNone(s["extra"]["p50_ms"])
        self.assertEqual(s["failed"], 2)


if __name__ == "__main__":
    unittest.main()
