"""A hot reload (cmd=reload) of a hostile loadbalancer.xml (see hostile_xml.py) is refused
within seconds with an error naming file:line, the old config still serving; the marker file is
never read (its content in no answer and no log, nothing sent to the out-of-band listener) and
no child's peak RSS grows by 200 MB or more; no child crashes."""
import json
import re
import time
import unittest

from harness import cluster_of, loadbalancer_xml
from harness.manager import MANAGER_CONF, Manager
from hostile_common import HostileTestCase
from hostile_xml import (CONFIG_MAX, MARKER, MAX_GROWTH_KB, MAX_SECONDS, NO_POLL, PASSWD_LINE,
                         line_of, marker_file, payloads, peak_rss_kb)


class HostileXmlReload(HostileTestCase):
    def test_hostile_files_are_refused_unread_and_the_old_config_serves(self):
        backends = self.start_backends(("1.0", "1.0"))
        listener = self.start_backend("listener")
        httpd = self.start_httpd(loadbalancer_xml([cluster_of(backends)], NO_POLL),
                                 extra_conf=MANAGER_CONF + CONFIG_MAX)
        manager, pids = Manager(httpd), set(httpd.child_pids())
        marker = marker_file(httpd.root)
        generation = manager.status()["generation"]
        peaks = {pid: peak_rss_kb(pid) for pid in pids}
        texts = payloads(backends, marker, listener.url, NO_POLL)
        for name, (text, needle) in texts.items():
            with self.subTest(name):
                httpd.write_xml(text)
                started = time.monotonic()
                status, answer = manager.reload()
                self.assertLess(time.monotonic() - started, MAX_SECONDS)
                self.assertEqual(status, 400, answer)
                self.assertFalse(answer["ok"])
                self.assertRegex(answer["errors"][0], re.escape(str(httpd.xml_path)) +
                                 f":{line_of(text, needle)}: ")
                said = json.dumps(answer)
                self.assertNotIn(MARKER, said)
                self.assertNotIn(PASSWD_LINE, said)
                served = self.client(httpd).get("/app/x")
                self.assertEqual(served.status, 200, "the old config serves")
                self.assertIn(served.json()["instance"], {"i1", "i2"})
        self.assertEqual(manager.status()["generation"], generation)
        for pid, before in peaks.items():
            self.assertLess(peak_rss_kb(pid) - before, MAX_GROWTH_KB, f"child {pid}")
        log = httpd.error_log() + httpd.access_log()
        self.assertNotIn(MARKER, log)
        self.assertNotIn(PASSWD_LINE, log)
        self.assertEqual(log.count("ZDU0101"), len(texts), "each refusal logged once")
        self.assertEqual(listener.stats()["requests"], 0, "nothing was sent out")
        self.assertNoChildCrashed(httpd, pids)


if __name__ == "__main__":
    unittest.main()
