"""lbxml-gen status against two real httpd front-ends of one load balancer: the merged table
and JSON sum each instance's live sessions over the front-ends (each tracks its own), a
front-end running another config is flagged, and one that is down makes the exit code non-zero
while the others are still printed."""
import json
import os
import pwd
import subprocess
import time
import unittest
from pathlib import Path

from harness import ZduTestCase
from harness import paths
from harness.httpd_conf import UNPRIVILEGED_USER
from harness.manager import HANDLER_CONF, SECRET, Manager
from harness.ports import free_port
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml

PUSH_CONF = HANDLER_CONF + f"ZduManagerSecret {SECRET}\nZduConfigPush On\n"
SWEEP = 1  # session-sweep-interval-in-seconds: live session counts follow within a second

DESCRIPTION = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cluster-description PUBLIC "-//mod_zdu//DTD Cluster Description 1.0//EN" "zdu-cluster-description_1_0.dtd">
<cluster-description>
  <applications>
    <application name="app" context-root="/app"/>
  </applications>
  <clusters>
    <cluster name="c1">
{servers}
      <application-ref ref="app"/>
    </cluster>
  </clusters>
  <lb-configs>
    <lb-config name="lb1-config">
      <cluster-ref ref="c1" lb-policy="round-robin">
        <application-ref ref="app"/>
      </cluster-ref>
      <property name="reload-poll-interval-in-seconds" value="0"/>
      <property name="session-sweep-interval-in-seconds" value="{sweep}"/>
    </lb-config>
  </lb-configs>
  <load-balancers>
    <load-balancer name="lb1" lb-config-name="lb1-config" secret-file="{secret_file}">
{front_ends}
    </load-balancer>
  </load-balancers>
</cluster-description>
"""


def lbxml_gen(*args):
    return subprocess.run([str(paths.lbxml_gen()), *map(str, args)], capture_output=True,
                          text=True, timeout=60)


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class LbxmlGenStatus(ZduTestCase):
    def setUp(self):
        self.dir = Path(self.make_tmpdir())
        self.backends = self.start_backends(["1.0", "1.0"])
        start_xml = loadbalancer_xml([cluster_of(self.backends)],
                                     {"reload-poll-interval-in-seconds": 0})
        self.front_ends = [self.start_httpd(start_xml, extra_conf=PUSH_CONF) for _ in range(2)]
        if os.geteuid() == 0:
            pw = pwd.getpwnam(UNPRIVILEGED_USER)
            for h in self.front_ends:
                os.chown(h.root, pw.pw_uid, pw.pw_gid)
        self.secret_file = self.dir / "secret"
        self.secret_file.write_text(SECRET + "\n")
        self.description = self.write_description("cluster.xml")
        applied = lbxml_gen("apply-http-lb-changes", "--description", self.description, "lb1")
        self.assertEqual(applied.returncode, 0, applied.stdout + applied.stderr)

    def write_description(self, name, front_ends=None, weight=100):
        servers = "\n".join(f'      <server name="{b.instance}" listeners="{b.listener}" '
                            f'version="{b.version}" weight="{weight}"/>' for b in self.backends)
        urls = front_ends or [h.url("/zdu-manager") for h in self.front_ends]
        path = self.dir / name
        path.write_text(DESCRIPTION.format(
            servers=servers, sweep=SWEEP, secret_file=self.secret_file,
            front_ends="\n".join(f'      <front-end url="{u}"/>' for u in urls)))
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
