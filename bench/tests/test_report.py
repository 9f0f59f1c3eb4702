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


class Reload(unittest.TestCase):
    def reload_row(self, first_max, growth):
        return {"instances": 1000, "children": 2, "reloads_timed": 10, "reload_ms_p50": 30.0,
                "reload_ms_max": 40.0, "first_request_extra_ms_p50": 2.0,
                "first_request_extra_ms_max": first_max, "baseline_ms": 0.5,
                "in_flight": {"p50_ms": 0.5, "p99_ms": 2.0, "max_ms": 9.0, "errors": 0},
                "rss_reloads": 1000, "rss_kb_start": 2048, "rss_kb_end": 4096,
                "rss_growth_kb_per_child_max": growth}

    def checks(self, row):
        return {label: met for label, _, _, met in report.target_checks({"reload": row})
                if "reload" in label}

    def test_switch_within_20_ms_and_flat_memory_meet_the_targets(self):
        self.assertEqual(set(self.checks(self.reload_row(12.0, -8)).values()), {True})

    def test_a_slow_switch_or_growing_memory_does_not(self):
        self.assertEqual(sorted(self.checks(self.reload_row(25.0, 4096)).values()),
                         [False, False])

    def test_table_shows_the_memory_over_the_reloads(self):
        self.assertIn("2.0 -> 4.0", report.reload_table(self.reload_row(1.0, 0)))


def session_bench(kind, sessions, ns, probes, mib=None):
    b = {"name": f"BM_Session{kind}/{sessions}", "ns_per_op": ns, "probes_per_op": probes,
         "max_probes": 12}
    if mib is not None:
        b["MiB"] = mib
    return b


class SessionTable(unittest.TestCase):
    def micro(self, probes_at_1m, mib_at_1m):
        return [session_bench("Find", 10_000, 20.0, 1.6, 0.46),
                session_bench("Find", 1_000_000, 90.0, probes_at_1m, mib_at_1m),
                session_bench("Insert", 10_000, 30.0, 3.5, 0.46),
                session_bench("Insert", 1_000_000, 150.0, 3.5, mib_at_1m)]

    def checks(self, micro):
        return {label: (value, met) for label, value, _, met in
                report.target_checks({"micro": micro}) if "session" in label}

    def test_constant_probes_and_room_in_64_mib_meet_the_targets(self):
        checks = self.checks(self.micro(1.6, 45.8))
        self.assertEqual(checks["session-table probes per lookup, 1M / 10k sessions"], (1.0, True))
        self.assertTrue(checks["session-table probes per insert, 1M / 10k sessions"][1])
        self.assertEqual(checks["session table at 1M sessions, MiB"], (45.8, True))

    def test_probes_that_grow_with_the_table_or_too_many_bytes_do_not(self):
        checks = self.checks(self.micro(2.4, 70.0))
        self.assertAlmostEqual(checks["session-table probes per lookup, 1M / 10k sessions"][0],
                               1.5)
        self.assertFalse(checks["session-table probes per lookup, 1M / 10k sessions"][1])
        self.assertFalse(checks["session table at 1M sessions, MiB"][1])

    def test_table_gives_probes_ns_and_the_bytes_at_a_million(self):
        text = report.micro_table(self.micro(1.6, 45.8), None)
        line = next(l for l in text.splitlines() if l.startswith("1,000,000"))
        self.assertEqual(line.split(), ["1,000,000", "90.0", "1.60", "12", "150.0", "3.50", "12",
                                        "45.80"])
        self.assertIn("shared memory at 1,000,000 sessions: 45.8 MiB", text)

    def test_no_session_benchmarks_no_session_table(self):
        text = report.micro_table([{"name": "BM_RouteFind/1000", "ns_per_op": 8.4}], None)
        self.assertNotIn("session table", text)
        self.assertEqual(self.checks([]), {})


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
