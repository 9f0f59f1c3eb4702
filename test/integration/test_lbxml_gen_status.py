"""lbxml-gen status against two real httpd front-ends of one load balancer: the merged table
and JSON sum each instance's live sessions over the front-ends (each tracks its own), a
front-end running another config is flagged, and one that is down makes the exit code non-zero
while the others are still printed."""
import json
import os
import time
import unittest
from pathlib import Path

from harness import ZduTestCase
from harness import paths
from harness.description import (NO_POLL, description_xml, lbxml_gen, manager_urls, servers,
                                 start_push_front_ends, write_secret)
from harness.manager import Manager
from harness.ports import free_port

SWEEP = 1  # session-sweep-interval-in-seconds: live session counts follow within a second


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class LbxmlGenStatus(ZduTestCase):
    def setUp(self):
        self.dir = Path(self.make_tmpdir())
        self.backends = self.start_backends(["1.0", "1.0"])
        self.front_ends = start_push_front_ends(self, self.backends, 2)
        self.secret_file = write_secret(self.dir)
        self.description = self.write_description("cluster.xml")
        applied = lbxml_gen("apply-http-lb-changes", "--description", self.description, "lb1")
        self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)

    def write_description(self, name, front_ends=None, weight=100):
        weights = {b.instance: weight for b in self.backends}
        path = self.dir / name
        path.write_text(description_xml(
            servers(self.backends, weights=weights), front_ends or manager_urls(self.front_ends),
            self.secret_file, properties=dict(NO_POLL, **{
                "session-sweep-interval-in-seconds": SWEEP})))
        return path

    def status(self, *args, description=None):
        return lbxml_gen("status", "--description", description or self.description, "lb1",
                         *args)

    def open_sessions(self, httpd, count):
        for _ in range(count):
            client = self.client(httpd)
            self.assertEqual(client.get("/app/login").status, 200)

    def direct_sessions(self):
        """{instance: live sessions summed over the front-ends}, read from each one's status."""
        total = {}
        for h in self.front_ends:
            for c in Manager(h).status()["clusters"]:
                for i in c["instances"]:
                    total[i["name"]] = total.get(i["name"], 0) + i["live_sessions"]
        return total

    def wait_sessions(self, at_least):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if sum(self.direct_sessions().values()) >= at_least:
                return
            time.sleep(0.2)
        self.fail(f"fewer than {at_least} live sessions after 10 s: {self.direct_sessions()}")

    def test_json_sums_live_sessions_over_the_front_ends(self):
        self.open_sessions(self.front_ends[0], 4)
        self.open_sessions(self.front_ends[1], 3)
        self.wait_sessions(7)
        result = self.status("--json")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        doc = json.loads(result.stdout)
        self.assertTrue(doc["all_read"])
        self.assertFalse(doc["mixed_hashes"])
        merged = {i["name"]: i for i in doc["clusters"][0]["instances"]}
        direct = self.direct_sessions()
        self.assertEqual({n: i["live_sessions"] for n, i in merged.items()}, direct)
        self.assertEqual(sum(direct.values()), 7)
        self.assertEqual({i["front_ends"] for i in merged.values()}, {2})

    def test_table_has_a_line_per_instance_and_per_front_end(self):
        self.open_sessions(self.front_ends[0], 2)
        self.open_sessions(self.front_ends[1], 2)
        self.wait_sessions(4)
        result = self.status()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        lines = result.stdout.splitlines()
        self.assertIn("cluster c1  active 1.0  canary -", lines)
        direct = self.direct_sessions()
        for b in self.backends:
            row = next(l.split() for l in lines if l.split()[:1] == [b.instance])
            self.assertEqual(row[1:3], ["1.0", "active"])
            self.assertEqual(int(row[5]), direct[b.instance])
            # Average and longest response time of the requests sent, in ms; no drain
            # estimate for an instance that is not draining.
            for figure in row[8:10]:
                self.assertRegex(figure, r"^\d+(\.\d+)?$", "response times after requests")
            self.assertEqual(row[10], "-", "no estimate while active")
        for h in self.front_ends:
            self.assertTrue(any(l.startswith(f"front-end {h.url('/zdu-manager')}: config ")
                                for l in lines), result.stdout)
        self.assertNotIn("MIXED", result.stdout)

    def test_a_front_end_running_another_config_is_flagged(self):
        other = self.write_description("other.xml", front_ends=[
            self.front_ends[1].url("/zdu-manager")], weight=50)
        applied = lbxml_gen("apply-http-lb-changes", "--description", other, "lb1")
        self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)
        result = self.status()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        flagged = [l for l in result.stdout.splitlines() if "MIXED" in l]
        self.assertEqual(len(flagged), 1, result.stdout)
        self.assertIn(self.front_ends[1].url("/zdu-manager"), flagged[0])
        self.assertTrue(json.loads(self.status("--json").stdout)["mixed_hashes"])

    def test_a_front_end_down_exits_non_zero_and_the_others_are_printed(self):
        dead = f"http://127.0.0.1:{free_port()}/zdu-manager"
        with_dead = self.write_description("dead.xml", front_ends=[
            self.front_ends[0].url("/zdu-manager"), dead])
        result = self.status(description=with_dead)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(f"front-end {dead}: NOT READ: unreachable", result.stdout)
        self.assertIn(f"front-end {self.front_ends[0].url('/zdu-manager')}: config ",
                      result.stdout)
        self.assertIn("cluster c1", result.stdout)

    def test_a_zdu_status_json_url_is_read_as_given(self):
        url = self.front_ends[0].url("/zdu-manager?cmd=status")
        result = lbxml_gen("status", "--secret-file", self.secret_file, "--json", url)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(json.loads(result.stdout)["front_ends"][0]["url"], url)
        refused = lbxml_gen("status", "--json", url)  # no secret: the manager says no
        self.assertEqual(refused.returncode, 1, refused.stdout + refused.stderr)


if __name__ == "__main__":
    unittest.main()
