"""apply-http-lb-changes against three real httpd front-ends of one load balancer: every one
validates before any commits, each then runs the same config (its status shows the hash), a
session keeps its instance through all three, and a wrong secret, an invalid xml, a front-end
that is down or one that does not accept pushes changes nothing anywhere."""
import os
import re
import time
import unittest
from pathlib import Path

from harness import Client, ZduTestCase
from harness import paths, process
from harness.description import (description_xml, lbxml_gen, manager_urls, server_refs,
                                 servers, start_push_front_ends, write_secret)
from harness.manager import HANDLER_CONF, SECRET, Manager

NO_PUSH_CONF = HANDLER_CONF + f"ZduManagerSecret {SECRET}\n"
FRONT_ENDS = 3
FRESH = 24  # fresh connections: enough to reach each of the 3 children of a front-end

INVALID_XML = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE loadbalancer PUBLIC "-//Sun Microsystems Inc.//DTD Sun Java System Application Server 9.1//EN" "glassfish-loadbalancer_1_3.dtd">
<loadbalancer>
  <cluster name="c1">
    <instance name="i1" enabled="true"/>
  </cluster>
</loadbalancer>
"""


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class ApplyFrontEnds(ZduTestCase):
    def setUp(self):
        self.dir = Path(self.make_tmpdir())
        self.backends = self.start_backends(["1.0"] * 3)
        self.front_ends = start_push_front_ends(self, self.backends, FRONT_ENDS)
        self.secret_file = write_secret(self.dir)
        self.description = self.dir / "cluster.xml"
        self.write_description()

    def write_description(self, disabled=(), front_ends=None, secret_file=None):
        urls = front_ends if front_ends is not None else manager_urls(self.front_ends)
        self.description.write_text(description_xml(
            servers(self.backends), urls, secret_file or self.secret_file,
            server_refs=server_refs(self.backends, disabled)))

    def apply(self, *options):
        return lbxml_gen("apply-http-lb-changes", *options, "--description", self.description,
                         "lb1")

    def hashes(self, httpd):
        """The config_hash every child of httpd runs (fresh connections reach all children)."""
        manager = Manager(httpd)
        return {manager.status()["config_hash"] for _ in range(FRESH)}

    def files(self):
        return [h.xml_path.read_bytes() for h in self.front_ends]

    def assertUnchanged(self, hashes_before, files_before):
        self.assertEqual([self.hashes(h) for h in self.front_ends], hashes_before)
        self.assertEqual(self.files(), files_before)

    def applied_hashes(self, stdout):
        """{manager URL: hash} of the front-ends the report says applied."""
        return dict(re.findall(r"^(\S+): applied \(generation \d+, hash ([0-9a-f]{16})",
                               stdout, re.M))

    def test_applies_the_same_xml_on_all_three_and_each_runs_it(self):
        before = self.files()
        result = self.apply()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        applied = self.applied_hashes(result.stdout)
        self.assertEqual(set(applied), {h.url("/zdu-manager") for h in self.front_ends},
                         result.stdout)
        self.assertEqual(len(set(applied.values())), 1, "every front-end runs the same xml")
        pushed = self.files()
        self.assertEqual(len(set(pushed)), 1, "every front-end got the same bytes")
        self.assertNotEqual(pushed[0], before[0])
        self.assertEqual(lbxml_gen("validate", self.front_ends[0].xml_path).returncode, 0)
        for h, old in zip(self.front_ends, before):
            self.assertEqual(h.xml_path.with_name(h.xml_path.name + ".bak").read_bytes(), old)
            # Every child runs what the answer named: no mixed state inside a front-end.
            self.assertEqual(self.hashes(h), {applied[h.url("/zdu-manager")]})

    def test_a_session_keeps_its_instance_through_the_other_front_ends(self):
        self.assertEqual(self.apply().returncode, 0)
        for first in range(FRONT_ENDS):
            client = self.client(self.front_ends[first])
            response = client.get("/app/login")
            self.assertEqual(response.status, 200, response.text)
            home = response.json()["instance"]
            for other in self.front_ends:
                with Client(other.base_url, jar=client.jar) as again:
                    for _ in range(3):
                        self.assertServedBy(again.get("/app/page"), home)

    def test_a_disabled_server_takes_no_new_sessions_on_any_front_end_within_a_second(self):
        self.assertEqual(self.apply().returncode, 0)
        clients = [self.client(h) for h in self.front_ends]
        for client in clients:  # connections open before, so the second measures the switch
            self.assertEqual(client.get("/app/login").status, 200)
        edit = lbxml_gen("disable-http-lb-server", "--description", self.description, "i2")
        self.assertEqual(edit.returncode, 0, edit.stdout + edit.stderr)
        result = self.apply()
        applied_at = time.monotonic()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        homes = {h.port: self.new_session_homes(c, "/app/login", 10)
                 for h, c in zip(self.front_ends, clients)}
        elapsed = time.monotonic() - applied_at
        for port, seen in homes.items():
            self.assertNotIn("i2", seen, f"front-end on port {port}")
            self.assertEqual(set(seen), {"i1", "i3"})
        self.assertLess(elapsed, 1.0, "the new sessions above all came within the second")

    def test_a_wrong_secret_is_refused_403_and_changes_nothing(self):
        hashes, files = [self.hashes(h) for h in self.front_ends], self.files()
        wrong = self.dir / "wrong-secret"
        wrong.write_text("not-the-secret\n")
        self.write_description(disabled={"i2"}, secret_file=wrong)
        result = self.apply()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(result.stderr.count(": refused at validate (HTTP 403)"), FRONT_ENDS,
                         result.stderr)
        self.assertIn("nothing committed on any front-end", result.stderr)
        self.assertUnchanged(hashes, files)

    def test_a_relative_secret_file_is_read_beside_the_description(self):
        self.write_description(secret_file=self.secret_file.name)
        result = self.apply()  # run from the test's directory, not the description's
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_an_invalid_xml_is_refused_400_with_line_errors_and_changes_nothing(self):
        hashes, files = [self.hashes(h) for h in self.front_ends], self.files()
        bad = self.dir / "bad.xml"
        bad.write_text(INVALID_XML)
        result = self.apply("--xml", bad)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertEqual(result.stderr.count(": refused at validate (HTTP 400)"), FRONT_ENDS)
        # The same "LINE: message" as lbxml-gen validate gives for that file.
        validate = lbxml_gen("validate", bad)
        line = validate.stderr.splitlines()[0].split(f"{bad}:", 1)[1]
        self.assertIn("  " + line, result.stderr.splitlines())
        self.assertUnchanged(hashes, files)

    def test_one_front_end_down_is_reported_and_none_commits(self):
        hashes, files = [self.hashes(h) for h in self.front_ends[:2]], self.files()[:2]
        down = self.front_ends[2]
        down.stop()
        self.write_description(disabled={"i2"})
        result = self.apply()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(down.url("/zdu-manager") + ": unreachable at validate", result.stderr)
        self.assertEqual(result.stderr.count(": not pushed at validate"), 2, result.stderr)
        self.assertEqual([self.hashes(h) for h in self.front_ends[:2]], hashes)
        self.assertEqual(self.files()[:2], files)

    def test_a_front_end_without_config_push_refuses_and_none_commits(self):
        closed = self.front_ends[1]
        closed.write_conf(extra_conf=NO_PUSH_CONF)
        closed.graceful()
        hashes, files = [self.hashes(h) for h in self.front_ends], self.files()
        self.write_description(disabled={"i2"})
        result = self.apply()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(closed.url("/zdu-manager") + ": refused at validate (HTTP 403)",
                      result.stderr)
        self.assertUnchanged(hashes, files)

    def test_ping_stops_before_any_push_when_a_manager_does_not_answer(self):
        hashes = [self.hashes(h) for h in self.front_ends[:2]]
        self.write_description(disabled={"i2"}, front_ends=[
            h.url("/zdu-manager") for h in self.front_ends[:2]] + [
            self.front_ends[2].url("/no-manager-here")])
        result = self.apply("--ping")
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("/no-manager-here: refused at ping", result.stderr)
        self.assertEqual([self.hashes(h) for h in self.front_ends[:2]], hashes)

    def test_overrides_are_reported_and_kept_unless_reset(self):
        manager = Manager(self.front_ends[0])
        response = manager.command("POST", cmd="disable-instance", instance="i3")
        self.assertEqual(response.status, 200, response.text)
        result = self.apply()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("override: c1/i3 disabled by manager", result.stdout)
        homes = self.new_session_homes(self.client(self.front_ends[0]), "/app/login", 20)
        self.assertNotIn("i3", homes, "apply does not silently undo the manager's disable")

        result = self.apply("--reset-overrides")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("overrides reset", result.stdout)
        self.assertNotIn("override: c1/i3", result.stdout)
        self.assertTrue(process.wait_until(lambda: "i3" in self.new_session_homes(
            self.client(self.front_ends[0]), "/app/login", 20), 5.0))


if __name__ == "__main__":
    unittest.main()
