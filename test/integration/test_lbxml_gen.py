"""lbxml-gen validate, run as a real process: samples pass, bad files fail with FILE:LINE."""
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import paths

# loadbalancer.xml samples only: cluster-description.xml is the other kind of file.
SAMPLES = sorted(p for p in (paths.REPO / "conf-samples").glob("*.xml")
                 if p.name != "cluster-description.xml")

MISSING_LISTENERS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE loadbalancer PUBLIC "-//Sun Microsystems Inc.//DTD Sun Java System Application Server 9.1//EN" "glassfish-loadbalancer_1_3.dtd">
<loadbalancer>
  <cluster name="c1">
    <instance name="i1" enabled="true"/>
  </cluster>
</loadbalancer>
"""

EXTERNAL_ENTITY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE loadbalancer [
  <!ENTITY secret SYSTEM "file://{marker}">
]>
<loadbalancer>
  <cluster name="&secret;"/>
</loadbalancer>
"""


def run(*args):
    return subprocess.run([str(paths.lbxml_gen()), *map(str, args)], capture_output=True,
                          text=True, timeout=30)


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class Validate(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="zdu-lbxml-"))

    def write(self, name, text):
        path = self.dir / name
        path.write_text(text)
        return path

    def test_samples_are_valid(self):
        self.assertTrue(SAMPLES)
        result = run("validate", *SAMPLES)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_missing_listeners_names_file_and_line(self):
        path = self.write("bad.xml", MISSING_LISTENERS)
        result = run("validate", path)
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stderr, rf"^{path}:5: .*listeners", result.stderr)

    def test_external_entity_is_refused_and_not_read(self):
        marker = self.write("secret.txt", "TOP-SECRET-MARKER")
        path = self.write("xxe.xml", EXTERNAL_ENTITY.format(marker=marker))
        result = run("validate", path)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{path}:", result.stderr)
        self.assertNotIn("TOP-SECRET-MARKER", result.stdout + result.stderr)

    def test_one_line_per_problem_for_each_file(self):
        bad = self.write("bad.xml", MISSING_LISTENERS)
        result = run("validate", SAMPLES[0], bad)
        self.assertEqual(result.returncode, 1)
        self.assertTrue(all(line.startswith(f"{bad}:") for line in result.stderr.splitlines()))

    def test_bad_arguments_exit_2(self):
        self.assertEqual(run("validate").returncode, 2)
        self.assertEqual(run("no-such-command").returncode, 2)


if __name__ == "__main__":
    unittest.main()
