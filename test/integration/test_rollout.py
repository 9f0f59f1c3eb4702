"""lbxml-gen rollout against a real httpd front-end: v1 -> v2 under 100 simulated users fails
no request, keeps every session on its instance, drains v1 and removes it; a canary that fails
(its instance refuses connections, or answers 500 to half its requests) rolls back by itself;
Ctrl-C while v1 drains leaves a state file and `rollout --resume` completes."""
import os
import signal
import subprocess
import time
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

from harness import ZduTestCase
from harness import paths
from harness.client import Client
from harness.description import (NO_POLL, description_xml, lbxml_gen, manager_urls, servers,
                                 start_push_front_ends, write_secret)
from harness.manager import Manager
from harness.ports import free_port
from harness.users import Users

USERS = 100
THINK = 0.1
THREADS = 100  # per child: more than the users' kept-alive connections (see upgrade_common)


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class Rollout(ZduTestCase):
    def setUp(self):
        self.dir = Path(self.make_tmpdir())
        self.v1 = self.start_backends(["1.0", "1.0"], prefix="a")
        self.httpd = start_push_front_ends(self, self.v1, 1, threads=THREADS)[0]
        self.description = self.dir / "cluster.xml"
        self.description.write_text(description_xml(
            servers(self.v1, version="1.0"), manager_urls([self.httpd]), write_secret(self.dir),
            properties=dict(NO_POLL, **{"session-sweep-interval-in-seconds": 1})))
        self.state_file = Path(str(self.description) + ".rollout")
        applied = self.lbxml_gen("apply-http-lb-changes", "--description", self.description,
                                 "lb1")
        self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)

    def lbxml_gen(self, *args, timeout=90):
        return lbxml_gen(*args, timeout=timeout)

    def rollout_args(self, add, *more):
        return ["rollout", "--description", self.description, "lb1", "--cluster", "c1",
                "--from-version", "1.0", "--to-version", "2.0",
                "--add", ",".join(f"{n}={url}" for n, url in add), *more]

    def cluster(self):
        return ET.parse(self.description).getroot().find("clusters/cluster")

    def lb_enabled(self):
        refs = ET.parse(self.description).getroot().findall(
            "lb-configs/lb-config/cluster-ref/server-ref")
        return {r.get("ref"): r.get("lb-enabled", "true") for r in refs}

    def test_v1_to_v2_under_100_users_fails_nothing_and_removes_v1(self):
        v2 = self.start_backends(["2.0", "2.0"], prefix="b")
        stopped = self.dir / "stopped.log"
        users = Users(self.httpd.base_url, USERS, pages=3, think=THINK).start()
        try:
            time.sleep(1.0)
            result = self.lbxml_gen(*self.rollout_args(
                [(b.instance, b.listener) for b in v2], "--canary", "20", "--pause", "2",
                "--max-error-rate", "0.2", "--remove-old",
                "--on-stop-old", f'echo "$ZDU_INSTANCES" >> {stopped}'))
            time.sleep(1.0)  # the users keep going on v2 alone
        finally:
            seen = users.stop()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("1.0 drained on every front-end", result.stdout)
        self.assertIn("sessions left", result.stdout, "the drain shows its progress")
        self.assertEqual(seen.failures, [], seen.summary())
        self.assertEqual(seen.violations(), [], "every request reaches its session's home")
        servers = {s.get("name"): s.get("version") for s in self.cluster().findall("server")}
        self.assertEqual(servers, {"b1": "2.0", "b2": "2.0"})
        self.assertEqual(self.cluster().get("active-version"), "2.0")
        self.assertEqual(stopped.read_text().split(), ["a1", "a2"])
        self.assertFalse(self.state_file.exists())
        last_sessions = seen.sessions[-USERS:]
        self.assertTrue({s.version for s in last_sessions} <= {"2.0"},
                        "the last sessions are on v2")

    def test_a_failing_canary_rolls_back_by_itself(self):
        dead = f"http://127.0.0.1:{free_port()}"  # refuses every connection: each a failure
        users = Users(self.httpd.base_url, 20, pages=3, think=THINK).start()
        try:
            result = self.lbxml_gen(*self.rollout_args(
                [("b1", dead)], "--canary", "50", "--pause", "3", "--max-error-rate", "0.1"))
        finally:
            users.stop()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("canary failed", result.stderr)
        self.assertIn("rolled back: 1.0 active, 2.0 disabled", result.stdout)
        cluster = self.cluster()
        self.assertEqual(cluster.get("active-version"), "1.0")
        self.assertIsNone(cluster.get("canary-version"))
        self.assertEqual(self.lb_enabled().get("b1"), "false")
        self.assertFalse(self.state_file.exists())
        status = self.lbxml_gen("status", "--json", "--description", self.description, "lb1")
        self.assertIn('"active_version":"1.0","canary":"-"', status.stdout)

    def instance_counters(self):
        [cluster] = Manager(self.httpd).status()["clusters"]
        return {i["name"]: i["counters"] for i in cluster["instances"]}

    def test_a_canary_answering_500_rolls_back_and_status_counts_its_500s(self):
        # Every connection succeeds and every request gets an answer: only the application's
        # 5xx tell that 2.0 is broken.
        v2 = self.start_backends(["2.0"], prefix="b", fail_every=2)
        users = Users(self.httpd.base_url, 20, pages=3, think=THINK).start()
        try:
            result = self.lbxml_gen(*self.rollout_args(
                [(b.instance, b.listener) for b in v2], "--canary", "50", "--pause", "3",
                "--max-error-rate", "0.2"))
        finally:
            seen = users.stop()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("canary failed: error rate", result.stderr)
        self.assertIn("rolled back: 1.0 active, 2.0 disabled", result.stdout)
        self.assertEqual(self.cluster().get("active-version"), "1.0")
        self.assertEqual(self.lb_enabled().get("b1"), "false")
        answered_500 = {name: sum(1 for r in seen.requests
                                  if r.instance == name and r.status == 500)
                        for name in ("a1", "a2", "b1")}
        self.assertGreater(answered_500["b1"], 0, seen.summary())
        self.assertEqual(answered_500["a1"] + answered_500["a2"], 0, "1.0 answers no 500")
        # Counted when a request's log hook runs, just after its response went out.
        deadline = time.monotonic() + 10
        while True:
            counters = self.instance_counters()
            counted = {name: counters[name]["responses_5xx"] for name in answered_500}
            if counted == answered_500 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertEqual(counted, answered_500)
        self.assertEqual(counters["b1"]["failures"], 0, "no failure the proxy saw")

    def test_a_manager_version_override_stops_the_rollout_and_says_how_to_clear_it(self):
        # set-active-version through the manager outlives every apply: a rollout's edits would
        # not decide where new sessions go, so it refuses to go on.
        answer = Manager(self.httpd).command("POST", cmd="set-active-version", cluster="c1",
                                             version="1.0")
        self.assertEqual(answer.status, 200, answer.text)
        v2 = self.start_backends(["2.0"], prefix="b")
        result = self.lbxml_gen(*self.rollout_args([(b.instance, b.listener) for b in v2]))
        self.assertNotEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("holds a manager override (c1 active-version 1.0)", result.stderr)
        self.assertIn("--reset-overrides", result.stderr)
        self.assertNotEqual(self.cluster().get("active-version"), "2.0")

    def test_ctrl_c_while_v1_drains_then_resume_completes(self):
        v2 = self.start_backends(["2.0"], prefix="b")
        held = self.client(self.httpd)  # one v1 session kept open: the drain waits for it
        self.assertEqual(held.get("/app/login").status, 200)
        home = held.get("/app/page").json()["instance"]
        proc = subprocess.Popen([str(paths.lbxml_gen()), *map(str, self.rollout_args(
            [(b.instance, b.listener) for b in v2]))], stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        try:
            for line in proc.stdout:
                if "draining [" in line:
                    break
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
        self.assertEqual(proc.returncode, 130, out + err)
        self.assertIn("resume with: lbxml-gen rollout --description", err)
        self.assertIn('"step":"drain"', self.state_file.read_text())
        self.assertEqual(held.get("/app/page").json()["instance"], home, "still on v1")
        self.assertEqual(held.get("/app/logout").status, 200)
        resumed = self.lbxml_gen("rollout", "--description", self.description, "--resume")
        self.assertEqual(resumed.returncode, 0, resumed.stdout + resumed.stderr)
        self.assertIn("rollout of c1 to 2.0 done", resumed.stdout)
        self.assertEqual(self.lb_enabled().get("a1"), "false")
        self.assertFalse(self.state_file.exists())
        with Client(self.httpd.base_url) as fresh:
            self.assertEqual(fresh.get("/app/login").json()["version"], "2.0")


if __name__ == "__main__":
    unittest.main()
