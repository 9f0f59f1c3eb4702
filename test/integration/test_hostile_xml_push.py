"""A config push (cmd=push-validate, cmd=push-commit) of a hostile xml (see hostile_xml.py) is
refused within seconds with the line that is wrong, the file and the served config untouched;
the marker file is never read (its content in no answer and no log, nothing sent to the
out-of-band listener), no child's peak RSS grows by 200 MB or more, and no child crashes."""
import json
import time
import unittest
from urllib.parse import urlencode

from harness import Client, cluster_of, loadbalancer_xml
from harness.manager import MANAGER_CONF, SECRET, Manager
from hostile_common import HostileTestCase
from hostile_xml import (CONFIG_MAX, MARKER, MAX_GROWTH_KB, MAX_SECONDS, NO_POLL, PASSWD_LINE,
                         line_of, marker_file, payloads, peak_rss_kb)

PUSH_ON = MANAGER_CONF + "ZduConfigPush On\n" + CONFIG_MAX  # bodies up to ZduConfigMaxBytes


class HostileXmlPush(HostileTestCase):
    def push(self, httpd, command, body, **params):
        headers = {"X-Zdu-Secret": SECRET, "Content-Type": "application/xml"}
        with Client(httpd.base_url) as client:
            started = time.monotonic()
            response = client.request("POST", "/zdu-manager?" + urlencode(
                dict(cmd=command, **params)), body, headers)
            self.assertLess(time.monotonic() - started, MAX_SECONDS)
        return response

    def test_hostile_pushes_are_refused_unread_and_change_nothing(self):
        backends = self.start_backends(("1.0", "1.0"))
        listener = self.start_backend("listener")
        httpd = self.start_httpd(loadbalancer_xml([cluster_of(backends)], NO_POLL),
                                 extra_conf=PUSH_ON)
        manager, pids = Manager(httpd), set(httpd.child_pids())
        marker = marker_file(httpd.root)
        before, xml = manager.status(), httpd.xml_path.read_text()
        peaks = {pid: peak_rss_kb(pid) for pid in pids}
        texts = payloads(backends, marker, listener.url, NO_POLL)
        for name, (text, needle) in texts.items():
            with self.subTest(name):
                validated = self.push(httpd, "push-validate", text)
                self.assertEqual(validated.status, 400, validated.text[:500])
                answer = validated.json()
                # "LINE: message", as lbxml-gen validate prints it without the file name.
                self.assertTrue(answer["errors"][0].startswith(f"{line_of(text, needle)}: "),
                                answer["errors"])
                committed = self.push(httpd, "push-commit", text, hash=answer["hash"])
                self.assertEqual(committed.status, 400, committed.text[:500])
                for said in (validated.text, committed.text):
                    self.assertNotIn(MARKER, said)
                    self.assertNotIn(PASSWD_LINE, said)
        after = manager.status()
        self.assertEqual((after["generation"], after["config_hash"]),
                         (before["generation"], before["config_hash"]))
        self.assertEqual(httpd.xml_path.read_text(), xml)
        self.assertFalse(httpd.xml_path.with_name("loadbalancer.xml.bak").exists())
        self.assertEqual(self.client(httpd).get("/app/x").status, 200, "the old config serves")
        for pid, peak in peaks.items():
            self.assertLess(peak_rss_kb(pid) - peak, MAX_GROWTH_KB, f"child {pid}")
        log = httpd.error_log()
        self.assertNotIn(MARKER, log)
        self.assertNotIn(PASSWD_LINE, log)
        self.assertEqual(log.count("ZDU0153"), 2 * len(texts), json.dumps(after)[:200])
        self.assertEqual(listener.stats()["requests"], 0, "nothing was sent out")
        self.assertNoChildCrashed(httpd, pids)


if __name__ == "__main__":
    unittest.main()
