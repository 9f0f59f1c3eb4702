"""A hostile loadbalancer.xml (external or parameter entities after a marker file, an
out-of-band entity, an external DTD, an entity bomb, a 10 MB attribute) stops apachectl -t and
start-up with an error naming file:line, without reading the marker (its content is nowhere in
the output, nothing reaches the out-of-band listener), within seconds and without a memory
blow-up: the peak RSS of `apache2 -t` stays within 200 MB of a valid file's. The unit tests of
the loader are test/unit/test_config_security.cpp; this is the real httpd."""
import json
import os
import re
import subprocess
import sys
import time
import unittest
from pathlib import Path

from harness import HttpdError, cluster_of, loadbalancer_xml
from harness.httpd import Httpd
from hostile_common import HostileTestCase
from hostile_xml import (CONFIG_MAX, MARKER, MAX_GROWTH_KB, MAX_SECONDS, PASSWD_LINE, line_of,
                         marker_file, payloads)



# Runs the harness's `apache2 -t` (as every test starts httpd, sanitizer runtime and all) in a
# small process of its own and prints its exit code, peak RSS in KiB and output as JSON: a
# child's peak RSS counts the memory of the process it was forked from, which here would be
# this test's, holding every payload.
MEASURE = """
import json, resource, sys
from harness.httpd import Httpd
httpd = Httpd(sys.argv[1], None, extra_conf=sys.argv[2])
code, output = httpd.configtest()
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "peak_kb": peak, "output": output}))
"""


def measured_configtest(httpd, extra_conf):
    """(returncode, output, peak RSS in KiB, seconds) of `apache2 -t` on httpd's files."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH", "")]))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", MEASURE, str(httpd.root), extra_conf],
                          capture_output=True, text=True, timeout=120, env=env, check=True)
    seconds = time.monotonic() - started
    result = json.loads(done.stdout)
    return result["code"], result["output"], result["peak_kb"], seconds


class HostileXmlAtStartup(HostileTestCase):
    def test_hostile_files_stop_start_up_naming_their_line_unread(self):
        backends = self.start_backends(("1.0",))
        listener = self.start_backend("listener")  # where the out-of-band entity would send
        marker = marker_file(self.make_tmpdir())
        good = Httpd(self.make_tmpdir(), loadbalancer_xml([cluster_of(backends)]),
                     extra_conf=CONFIG_MAX)
        rc, output, base_kb, _ = measured_configtest(good, CONFIG_MAX)
        self.assertEqual(rc, 0, output)
        for name, (text, needle) in payloads(backends, marker, listener.url).items():
            with self.subTest(name):
                httpd = Httpd(self.make_tmpdir(), text, extra_conf=CONFIG_MAX)
                where = re.escape(str(httpd.xml_path)) + f":{line_of(text, needle)}: "
                rc, output, peak_kb, seconds = measured_configtest(httpd, CONFIG_MAX)
                self.assertNotEqual(rc, 0, output)
                self.assertRegex(output, where)
                self.assertLess(seconds, MAX_SECONDS)
                self.assertLess(peak_kb - base_kb, MAX_GROWTH_KB, f"{peak_kb} KiB at the peak")
                with self.assertRaises(HttpdError):
                    httpd.start()
                said = httpd.startup_output()
                self.assertRegex(said, where)
                for text_seen in (output, said):
                    self.assertNotIn(MARKER, text_seen)
                    self.assertNotIn(PASSWD_LINE, text_seen)
        self.assertEqual(listener.stats()["requests"], 0, "nothing was sent out")


if __name__ == "__main__":
    unittest.main()
