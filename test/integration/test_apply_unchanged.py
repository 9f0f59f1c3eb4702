"""An unchanged description reloads nothing: apply-http-lb-changes run twice reports every
front-end unchanged the second time (no commit, no new generation, the file not rewritten),
generate -o leaves a file holding the same content alone, and a real change is still applied
everywhere. Then push robustness against a real slow HTTP server on loopback: a commit sent
without an answer is "unknown" (its status decides when it can be read), and a commit answering
another hash than the one pushed is "refused (hash mismatch)"."""
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import unittest
from pathlib import Path

from harness import ZduTestCase
from harness import paths
from harness.description import (description_xml, lbxml_gen, manager_urls, server_refs,
                                 servers, start_push_front_ends, write_secret)
from harness.manager import Manager

FRONT_ENDS = 3
FRESH = 24  # fresh connections: enough to reach each of the 3 children of a front-end

FOOTER = re.compile(rb"(?:^|(?<=\n))<!--\n This file was generated on: \[([^\n]*)\]\.\n-->\n\Z")


def content_hash(xml):
    """The module's config_hash, written from its definition (the first 64 bits of the SHA-256
    of the bytes without write_xml's trailing generated-on footer), not taken from lbxml-gen."""
    match = FOOTER.search(xml)
    if match and b"--" not in match.group(1):
        xml = xml[:match.start()]
    return hashlib.sha256(xml).hexdigest()[:16]


# A manager stand-in for the robustness tests: a real process answering HTTP on loopback.
# push-validate answers ok with the content hash of the body; push-commit sleeps (longer than
# lbxml-gen waits) or answers another hash, as MODE says; cmd=status serves STATUS_HASH.
SLOW_SERVER = r'''
import hashlib, http.server, json, re, sys, time
mode, status_hash = sys.argv[1], sys.argv[2]
FOOTER = re.compile(rb"(?:^|(?<=\n))<!--\n This file was generated on: \[([^\n]*)\]\.\n-->\n\Z")
def content_hash(xml):
    m = FOOTER.search(xml)
    if m and b"--" not in m.group(1):
        xml = xml[:m.start()]
    return hashlib.sha256(xml).hexdigest()[:16]
class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        if "cmd=status" in self.path:
            if status_hash == "hang":
                time.sleep(30)
            self.answer({"ok": True, "generation": 5, "config_hash": status_hash,
                         "overrides": []})
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if "cmd=push-validate" in self.path:
            self.answer({"ok": True, "hash": content_hash(body), "unchanged": False,
                         "errors": []})
        elif mode == "slow":
            time.sleep(30)
        else:
            self.answer({"ok": True, "generation": 6, "hash": "0123456789abcdef",
                         "changed": True, "overrides": [], "reset": False})
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
'''


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class ApplyUnchanged(ZduTestCase):
    def setUp(self):
        self.dir = Path(self.make_tmpdir())
        self.backends = self.start_backends(["1.0"] * 3)
        self.front_ends = start_push_front_ends(self, self.backends, FRONT_ENDS)
        self.secret_file = write_secret(self.dir)
        self.description = self.dir / "cluster.xml"
        self.write_description()

    def write_description(self, weights=None, front_ends=None):
        urls = front_ends if front_ends is not None else manager_urls(self.front_ends)
        self.description.write_text(description_xml(
            servers(self.backends, weights=weights or {}), urls, self.secret_file,
            server_refs=server_refs(self.backends), policy="weighted-round-robin"))

    def apply(self, *options):
        return lbxml_gen("apply-http-lb-changes", *options, "--description", self.description,
                         "lb1")

    def state(self, httpd):
        """What shows a load: the generation published, the file's mtime, the reload log lines."""
        return (Manager(httpd).status()["published_generation"], httpd.xml_path.stat().st_mtime_ns,
                httpd.error_log().count("ZDU0100"))

    def served_hashes(self, httpd):
        manager = Manager(httpd)
        return {manager.status()["config_hash"] for _ in range(FRESH)}

    def test_applying_the_same_description_twice_reloads_nothing_the_second_time(self):
        first = self.apply()
        self.assertEqual(first.returncode, 0, first.stdout + first.stderr)
        self.assertEqual(first.stdout.count(": applied (generation"), FRONT_ENDS, first.stdout)
        before = [self.state(h) for h in self.front_ends]
        pushed = self.front_ends[0].xml_path.read_bytes()
        time.sleep(1.1)  # the footer date has a one-second resolution: make it differ

        second = self.apply()
        self.assertEqual(second.returncode, 0, second.stdout + second.stderr)
        for h in self.front_ends:
            self.assertRegex(second.stdout,
                             re.escape(h.url("/zdu-manager")) + r": unchanged \(hash [0-9a-f]{16}")
        self.assertNotIn("applied", second.stdout)
        self.assertIn("every front-end already runs this content", second.stdout)
        self.assertEqual([self.state(h) for h in self.front_ends], before)
        self.assertEqual(self.front_ends[0].xml_path.read_bytes(), pushed)
        # The hash it runs is the content hash of what it was given.
        for h in self.front_ends:
            self.assertEqual(self.served_hashes(h), {content_hash(pushed)})

    def test_a_reload_of_a_file_differing_only_in_its_footer_date_publishes_nothing(self):
        self.assertEqual(self.apply().returncode, 0)
        httpd = self.front_ends[0]
        generation = self.state(httpd)[0]
        pushed = httpd.xml_path.read_bytes()
        redated = FOOTER.sub(b"<!--\n This file was generated on: [Thu Jan 01 00:00:00 UTC 2099].\n-->\n",
                             pushed)
        self.assertNotEqual(redated, pushed)
        httpd.xml_path.write_bytes(redated)
        status, answer = Manager(httpd).reload()
        self.assertEqual(status, 200, answer)
        self.assertFalse(answer["changed"], answer)
        self.assertEqual(self.state(httpd)[0], generation)
        # A change anywhere else, a comment included, is a new generation.
        httpd.xml_path.write_bytes(redated.replace(b"<loadbalancer>", b"<!-- x --><loadbalancer>"))
        status, answer = Manager(httpd).reload()
        self.assertEqual(status, 200, answer)
        self.assertTrue(answer["changed"], answer)
        self.assertEqual(self.state(httpd)[0], generation + 1)

    def test_a_changed_weight_is_applied_everywhere(self):
        self.assertEqual(self.apply().returncode, 0)
        before = [self.state(h) for h in self.front_ends]
        self.write_description(weights={"i2": 250})
        result = self.apply()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stdout.count(": applied (generation"), FRONT_ENDS, result.stdout)
        self.assertNotIn("unchanged", result.stdout)
        for h, (generation, _, _) in zip(self.front_ends, before):
            self.assertGreater(self.state(h)[0], generation)
            self.assertIn(b'weight="250"', h.xml_path.read_bytes())

    def test_only_the_front_end_that_does_not_run_it_yet_commits(self):
        self.write_description(front_ends=[h.url("/zdu-manager") for h in self.front_ends[:2]])
        self.assertEqual(self.apply().returncode, 0)
        before = [self.state(h) for h in self.front_ends]
        self.write_description()
        result = self.apply()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        for h in self.front_ends[:2]:
            self.assertIn(h.url("/zdu-manager") + ": unchanged", result.stdout)
        self.assertIn(self.front_ends[2].url("/zdu-manager") + ": applied", result.stdout)
        after = [self.state(h) for h in self.front_ends]
        self.assertEqual(after[:2], before[:2])
        self.assertGreater(after[2][0], before[2][0])

    def test_reset_overrides_clears_them_on_an_unchanged_front_end_without_a_reload(self):
        self.assertEqual(self.apply().returncode, 0)
        manager = Manager(self.front_ends[0])
        response = manager.command("POST", cmd="disable-instance", instance="i3")
        self.assertEqual(response.status, 200, response.text)
        before = [self.state(h) for h in self.front_ends]
        result = self.apply("--reset-overrides")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn(self.front_ends[0].url("/zdu-manager") + ": unchanged", result.stdout)
        self.assertIn("overrides reset", result.stdout)
        self.assertEqual(manager.status()["overrides"], [])
        self.assertEqual([self.state(h) for h in self.front_ends], before)

    def test_generate_leaves_a_file_holding_the_same_content_alone(self):
        out = self.dir / "loadbalancer.xml"
        args = ("generate", "--description", self.description, "--config", "lb1-config",
                "-o", out)
        first = lbxml_gen(*args)
        self.assertEqual(first.returncode, 0, first.stderr)
        written, mtime = out.read_bytes(), out.stat().st_mtime_ns
        time.sleep(1.1)
        second = lbxml_gen(*args)
        self.assertEqual(second.returncode, 0, second.stderr)
        self.assertIn(f"{out} unchanged", second.stderr)
        self.assertEqual(out.stat().st_mtime_ns, mtime)
        self.assertEqual(out.read_bytes(), written)

        self.write_description(weights={"i1": 300})
        third = lbxml_gen(*args)
        self.assertEqual(third.returncode, 0, third.stderr)
        self.assertNotIn("unchanged", third.stderr)
        self.assertIn(b'weight="300"', out.read_bytes())
        self.assertFalse(Path(str(out) + ".bak").exists())


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class PushRobustness(ZduTestCase):
    def setUp(self):
        self.dir = Path(self.make_tmpdir())
        self.backends = self.start_backends(["1.0"] * 2)
        self.real = start_push_front_ends(self, self.backends, 1)[0]
        self.secret_file = write_secret(self.dir)
        self.xml = self.dir / "push.xml"
        # Valid, and not what the real front-end runs, so it commits there.
        self.xml.write_bytes(self.real.xml_path.read_bytes() + b"<!-- pushed -->\n")

    def slow_server(self, mode, status_hash):
        script = self.dir / "slow_server.py"
        script.write_text(SLOW_SERVER)
        proc = subprocess.Popen([sys.executable, str(script), mode, status_hash],
                                stdout=subprocess.PIPE, text=True)
        self.addCleanup(proc.wait)
        self.addCleanup(proc.kill)
        port = int(proc.stdout.readline())
        return f"http://127.0.0.1:{port}/zdu-manager"

    def apply_to(self, *urls):
        description = self.dir / "cluster.xml"
        description.write_text(description_xml(
            servers(self.backends), urls, self.secret_file,
            server_refs=server_refs(self.backends), policy="weighted-round-robin"))
        return lbxml_gen("apply-http-lb-changes", "--timeout", "2", "--xml", self.xml,
                         "--description", description, "lb1")

    def test_a_commit_without_an_answer_is_unknown_not_unreachable(self):
        slow = self.slow_server("slow", "hang")
        started = time.monotonic()
        result = self.apply_to(self.real.url("/zdu-manager"), slow)
        self.assertLess(time.monotonic() - started, 20)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(slow + ": unknown (sent, no answer; check its status) at commit",
                      result.stderr)
        self.assertNotIn("unreachable", result.stderr)
        self.assertIn(self.real.url("/zdu-manager") + ": applied", result.stderr)

    def test_an_unanswered_commit_is_settled_by_the_status_hash(self):
        expected = content_hash(self.xml.read_bytes())
        applied = self.slow_server("slow", expected)
        result = self.apply_to(applied)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn(applied + ": applied (confirmed by its status", result.stdout)

        not_yet = self.slow_server("slow", "00000000000000aa")
        result = self.apply_to(not_yet)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(not_yet + ": unknown (sent, no answer; not applied so far)", result.stderr)
        self.assertIn("serves hash 00000000000000aa, not " + expected, result.stderr)

    def test_a_commit_answering_another_hash_is_refused_hash_mismatch(self):
        other = self.slow_server("mismatch", "")
        result = self.apply_to(self.real.url("/zdu-manager"), other)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(other + ": refused (hash mismatch) at commit (HTTP 200)", result.stderr)
        self.assertIn("0123456789abcdef", result.stderr)


if __name__ == "__main__":
    unittest.main()
