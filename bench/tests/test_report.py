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
        # Rounds 1.1 and 0.9: median 1.0, inside the spread.
        self.assertTrue(met["req/s mod_zdu / mod_proxy_balancer, sticky (2 inst.)"])

    def test_rows_carry_their_ratio_to_the_limit(self):
        results = {"compare": [row(targets.LIMIT, "sticky", [200.0, 100.0], cpu=50.0),
                               row(targets.ZDU, "sticky", [180.0, 95.0], cpu=60.0),
                               row(targets.STATIC, "static", [200.0, 200.0])]}
        by = {(r["target"], r["workload"]): r for r in report.json_summary(results)["compare"]}
        zdu = by[(targets.ZDU, "sticky")]
        self.assertAlmostEqual(zdu["over_limit"], 0.925)
        self.assertEqual(zdu["over_limit_range"], [0.9, 0.95])
        self.assertAlmostEqual(zdu["cpu_over_limit"], 1.2)
        for other in ((targets.LIMIT, "sticky"), (targets.STATIC, "static")):
            self.assertNotIn("over_limit", by[other])
        self.assertAlmostEqual(by[(targets.LIMIT, "sticky")]["mod_zdu_over_row"], 0.925)


def checks_of(results):
    return {label: (value, goal, met) for label, value, goal, met in
            report.target_checks(results)}


class AgainstTheLimit(unittest.TestCase):
    def compare(self, zdu_runs, limit_runs, zdu_cpu=60.0, limit_cpu=50.0):
        return [row(targets.LIMIT, "sticky", limit_runs, cpu=limit_cpu),
                row(targets.BALANCER, "sticky", limit_runs, cpu=limit_cpu),
                row(targets.ZDU, "sticky", zdu_runs, cpu=zdu_cpu),
                row(targets.STATIC, "static", [300, 300])]

    def test_table_gives_each_proxied_row_its_ratio_to_the_limit(self):
        text = report.compare_table(self.compare([90, 100], [100, 100]))
        line = next(l for l in text.splitlines() if l.startswith("mod_zdu sticky"))
        self.assertIn("0.95x (0.90-1.00)", line)
        self.assertIn("1.20x", line)
        for name in ("limit sticky", "static static"):
            line = next(l for l in text.splitlines() if l.startswith(name))
            self.assertEqual(line.split()[-2:], ["-", "-"], name)

    def test_within_3_percent_of_the_limit(self):
        near = checks_of({"compare": self.compare([98, 97], [100, 100])})
        far = checks_of({"compare": self.compare([95, 96], [100, 100])})
        label = "req/s mod_zdu / limit, sticky (2 inst.)"
        self.assertAlmostEqual(near[label][0], 0.975)
        self.assertTrue(near[label][2])
        self.assertFalse(far[label][2])

    def test_not_below_the_balancer_beyond_the_spread(self):
        label = "req/s mod_zdu / mod_proxy_balancer, sticky (2 inst.)"
        # Rounds 0.90, 0.96, 1.04: 0.04 below 1, the spread's half is 0.07.
        inside = checks_of({"compare": self.compare([90, 96, 104], [100, 100, 100])})
        self.assertAlmostEqual(inside[label][0], 0.96)
        self.assertEqual(inside[label][1], ">= 0.93 (1 - half the spread 0.90-1.04)")
        self.assertTrue(inside[label][2])
        # Rounds 0.94, 0.95, 0.96: 0.05 below 1, the half spread only 0.01.
        beyond = checks_of({"compare": self.compare([94, 95, 96], [100, 100, 100])})
        self.assertFalse(beyond[label][2])

    def test_static_file_and_old_2_instance_goal_are_no_targets_any_more(self):
        labels = checks_of({"compare": self.compare([90, 100], [100, 100])})
        self.assertFalse([l for l in labels if "static" in l or "CPU/req" in l])


def scale_row(target, workload, n, runs):
    return dict(row(target, workload, runs, cpu=50.0), instances=n, sessions=None,
                section="scale")


class ScaleTargets(unittest.TestCase):
    def rows(self):
        out = []
        for n, zdu in ((2, [90, 90]), (100, [104, 106]), (1000, [110, 120])):
            out += [scale_row(targets.BALANCER, "sticky", n, [100, 100]),
                    scale_row(targets.ZDU, "sticky", n, zdu),
                    scale_row(targets.LIMIT, "sticky", n, [125, 125])]
        return out

    def test_goal_at_100_and_1000_instances_only(self):
        checks = {k: v for k, v in checks_of({"scale": self.rows()}).items()
                  if "inst." in k and "mod_proxy_balancer" in k}
        self.assertEqual(set(checks), {"req/s mod_zdu / mod_proxy_balancer, sticky, 100 inst.",
                                       "req/s mod_zdu / mod_proxy_balancer, sticky, 1,000 inst."})
        self.assertAlmostEqual(checks["req/s mod_zdu / mod_proxy_balancer, sticky, 100 inst."][0],
                               1.05)
        self.assertTrue(checks["req/s mod_zdu / mod_proxy_balancer, sticky, 100 inst."][2])
        self.assertAlmostEqual(
            checks["req/s mod_zdu / mod_proxy_balancer, sticky, 1,000 inst."][0], 1.15)

    def test_curve_table_has_the_limit_and_mod_zdus_ratio_to_it(self):
        text = report.curve_table(self.rows(), "instances", "instances")
        header = text.splitlines()[1]
        self.assertIn("limit sticky", header)
        self.assertIn("zdu vs limit sticky", header)
        line = next(l for l in text.splitlines() if l.startswith("1000"))
        self.assertIn("0.92x / 1.00x", line)  # 115 / 125 req/s, same CPU


def callgrind_row(target, workload, total, n=2, **extra):
    return dict({"target": target, "workload": workload, "instances": n, "total": total},
                **extra)


class InstructionsAboveTheLimit(unittest.TestCase):
    ROWS = [callgrind_row(targets.LIMIT, "sticky", 70_000),
            callgrind_row(targets.LIMIT, "new", 71_000),
            callgrind_row(targets.ZDU, "sticky", 71_500),
            callgrind_row(targets.ZDU_1M, "sticky", 71_900),
            callgrind_row(targets.ZDU, "new", 74_000),
            callgrind_row(targets.BALANCER, "sticky", 72_000),
            callgrind_row(targets.BALANCER, "new", 73_500),
            callgrind_row(targets.STATIC, "static", 35_000)]

    def test_each_case_less_the_limit_of_its_workload(self):
        above = {(a["target"], a["workload"]): a for a in report.above_limit(self.ROWS)}
        self.assertEqual(set(above), {(targets.ZDU, "sticky"), (targets.ZDU_1M, "sticky"),
                                      (targets.ZDU, "new"), (targets.BALANCER, "sticky"),
                                      (targets.BALANCER, "new")})
        self.assertEqual(above[(targets.ZDU, "sticky")]["above_limit"], 1_500)
        self.assertEqual(above[(targets.ZDU_1M, "sticky")]["above_limit"], 1_900)
        self.assertEqual(above[(targets.ZDU, "new")]["above_limit"], 3_000)
        self.assertEqual(above[(targets.ZDU, "new")]["balancer_above_limit"], 2_500)
        self.assertNotIn("balancer_above_limit", above[(targets.BALANCER, "new")])

    def test_targets_2000_and_never_more_than_the_balancer(self):
        checks = checks_of({"per_request": self.ROWS})
        prefix = "instructions/req above the limit, "
        self.assertEqual(checks[prefix + "mod_zdu sticky, 2 inst."], (1_500, "<= 2000", True))
        self.assertTrue(checks[prefix + "mod_zdu 1M tracked sticky, 2 inst."][2])
        self.assertFalse(checks[prefix + "mod_zdu new, 2 inst."][2])
        ratio = checks[prefix + "mod_zdu new, 2 inst.: mod_zdu / balancer"]
        self.assertAlmostEqual(ratio[0], 1.2)
        self.assertFalse(ratio[2])
        self.assertTrue(checks[prefix + "mod_zdu sticky, 2 inst.: mod_zdu / balancer"][2])

    def test_tables_show_it(self):
        rows = [dict(r, **{c: 0 for c in report.PER_REQUEST_COLS if c != "total"})
                for r in self.ROWS]
        line = next(l for l in report.per_request_table(rows).splitlines()
                    if l.startswith("mod_zdu new"))
        self.assertEqual(line.split()[-2:], ["39000", "3000"])
        line = next(l for l in report.above_limit_table(self.ROWS).splitlines()
                    if l.startswith("mod_zdu new"))
        self.assertIn("3000", line)
        self.assertIn("NOT met", line)
        summary = report.json_summary({"per_request": self.ROWS})
        self.assertIn({"target": targets.ZDU, "workload": "sticky", "instances": 2,
                       "above_limit": 1500}, summary["instructions_above_limit"])


class HookBreakdown(unittest.TestCase):
    def test_hooks_add_up_to_mod_zdus_share_and_parts_are_given_apart(self):
        hooks = {"translate_name": 3000.0, "pre_request": 1500.0, "response filter (own)": 500.0}
        parts = {"session tracking: look_up_session": 600.0,
                 "session tracking: note_routed_session": 200.0,
                 "header work: set_backend_headers": 500.0}
        rows = [callgrind_row(targets.LIMIT, "sticky", 70_000),
                callgrind_row(targets.ZDU_1M, "sticky", 100_000, zdu_hooks=hooks,
                              zdu_hook_parts=parts)]
        text = report.zdu_breakdown_table(rows)
        self.assertIn("mod_zdu 5000 of 100000 instructions per request; 30000 above the limit, "
                      "25000 of them outside mod_zdu's functions", text)
        lines = {l.strip().split("  ")[0]: l.split() for l in text.splitlines()}
        self.assertEqual(lines["translate_name"][1:], ["3000", "60%", "3.0%"])
        self.assertEqual(lines["mod_zdu in all"][-3:], ["5000", "100%", "5.0%"])
        self.assertEqual(lines["session tracking (inside the hooks above)"][-3:],
                         ["800", "16%", "0.8%"])
        self.assertEqual(lines["look_up_session"][1:], ["600", "12%", "0.6%"])


class ReloadLatency(unittest.TestCase):
    def row(self, ratio):
        return {"instances": 2, "seconds": 3, "rounds": 2, "reloads": 6, "reloads_refused": 0,
                "errors": 0, "rps_without": 100.0, "rps_with": 90.0, "p50_without_ms": 1.0,
                "p99_without_ms": 5.0, "p50_with_ms": 1.1, "p99_with_ms": 5.0 * ratio,
                "p99_ratio": ratio, "p99_ratio_range": [ratio - 0.1, ratio + 0.1]}

    def test_p99_within_1_2x_of_no_reloads(self):
        label = "p99 with a reload every second / without (2 inst.)"
        self.assertTrue(checks_of({"reload_latency": self.row(1.1)})[label][2])
        self.assertFalse(checks_of({"reload_latency": self.row(1.3)})[label][2])

    def test_table_gives_both_ways_and_the_ratio(self):
        text = report.reload_latency_table(self.row(1.1))
        self.assertIn("p99 with reloads / without: 1.10x (1.00-1.20)", text)
        self.assertIn("5.50", text)


if __name__ == "__main__":
    unittest.main()
