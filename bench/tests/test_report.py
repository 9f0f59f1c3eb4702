"""The bench's arithmetic: paired ratios, their spread, the routing ceiling, the schedule of a
round and the JSON summary. The figures are made up; what is checked is what the report does
with them."""
import unittest

from zdubench import report, targets
from zdubench.rounds import Row, _schedule


def row(target, workload, runs, cpu=None, user=None):
    return {"target": target, "workload": workload, "rps": sorted(runs)[len(runs) // 2],
            "p50_ms": 1.0, "p99_ms": 2.0, "cpu_us_per_request": cpu,
            "user_us_per_request": user, "errors": 0, "runs_rps": runs,
            "runs_cpu_us": [cpu] * len(runs)}


class PairedRatios(unittest.TestCase):
    def test_median_of_round_ratios_not_ratio_of_medians(self):
        zdu = row(targets.ZDU, "sticky", [100, 200, 300])
        peer = row(targets.BALANCER, "sticky", [100, 400, 150])
        # rounds: 1.0, 0.5, 2.0 -> median 1.0; the medians' ratio would be 200/150.
        self.assertAlmostEqual(report._paired(zdu, peer, "rps"), 1.0)
        self.assertEqual(report._paired_range(zdu, peer, "rps"), (0.5, 2.0))

    def test_even_number_of_rounds_averages_the_middle_two(self):
        zdu = row(targets.ZDU, "new", [110, 90, 100, 120])
        peer = row(targets.BALANCER, "new", [100, 100, 100, 100])
        self.assertAlmostEqual(report._paired(zdu, peer, "rps"), 1.05)

    def test_rounds_of_unequal_count_fall_back_to_medians(self):
        zdu = row(targets.ZDU, "new", [100, 300])
        peer = row(targets.BALANCER, "new", [100])
        self.assertAlmostEqual(report._paired(zdu, peer, "rps"), 300 / 100)
        self.assertIsNone(report._paired_range(zdu, peer, "rps"))

    def test_table_shows_the_spread(self):
        rows = [row(targets.BALANCER, "sticky", [100, 100]), row(targets.ZDU, "sticky", [90, 110])]
        self.assertIn("1.00x (0.90-1.10)", report.compare_table(rows))


class RoutingCeiling(unittest.TestCase):
    def results(self, routing_instr, total_instr, user_us, cpu_us):
        per_request = {"target": targets.BALANCER, "workload": "sticky", "instances": 2,
                       "total": total_instr, "ap_run_translate_name": routing_instr / 2,
                       "ap_proxy_pre_request": routing_instr / 2, "ap_proxy_post_request": 0}
        return {"compare": [row(targets.BALANCER, "sticky", [1], cpu=cpu_us, user=user_us)],
                "per_request": [per_request]}

    def test_free_routing_saves_its_share_of_user_time(self):
        [c] = report.routing_ceilings(self.results(10_000, 100_000, 25.0, 100.0))
        self.assertAlmostEqual(c["routing_share"], 0.1)
        self.assertAlmostEqual(c["user_share"], 0.25)
        self.assertAlmostEqual(c["ceiling"], 1 / (1 - 0.025))

    def test_no_callgrind_figures_no_ceiling(self):
        results = self.results(10_000, 100_000, 25.0, 100.0)
        results["per_request"] = []
        self.assertEqual(report.routing_ceilings(results), [])


class Schedule(unittest.TestCase):
    def test_workloads_side_by_side_and_every_other_round_backwards(self):
        rows = [Row("c", None, w, "/") for w in ("sticky", "new", "sticky", "new", "static")]
        first = [r.workload for r in _schedule(rows, 1)]
        self.assertEqual(first, ["sticky", "sticky", "new", "new", "static"])
        self.assertEqual(_schedule(rows, 2), _schedule(rows, 1)[::-1])
        self.assertIs(_schedule(rows, 1)[0], rows[0])


class JsonSummary(unittest.TestCase):
    def test_each_peer_gets_mod_zdus_ratio(self):
        results = {"compare": [row(targets.BALANCER, "sticky", [100.0, 200.0]),
                               row(targets.ZDU, "sticky", [110.0, 180.0]),
                               row(targets.STATIC, "static", [200.0, 200.0])]}
        summary = report.json_summary(results)
        by = {(r["target"], r["workload"]): r for r in summary["compare"]}
        self.assertAlmostEqual(by[(targets.BALANCER, "sticky")]["mod_zdu_over_row"], 1.0)
        self.assertEqual(by[(targets.BALANCER, "sticky")]["mod_zdu_over_row_range"], [0.9, 1.1])
        self.assertNotIn("mod_zdu_over_row", by[(targets.ZDU, "sticky")])
        self.assertAlmostEqual(by[(targets.STATIC, "static")]["mod_zdu_over_row"], 0.725)
        met = {t["target"]: t["met"] for t in summary["targets"]}
        self.assertFalse(met["req/s mod_zdu / mod_proxy_balancer, sticky"])


if __name__ == "__main__":
    unittest.main()
