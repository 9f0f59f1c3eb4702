"""lbxml-gen generate, run as a real process: both forms write a loadbalancer.xml that validate
accepts; bad input exits 1 naming the file:line or the argument; misuse exits 2."""
import os
import re
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import paths

DESCRIPTION = paths.REPO / "conf-samples" / "cluster-description.xml"
GOLDEN = paths.REPO / "test" / "unit" / "golden" / "shop-lb-config.loadbalancer.xml"
FOOTER = re.compile(r"This file was generated on: \[[^\]]*\]")


def run(*args):
    return subprocess.run([str(paths.lbxml_gen()), *map(str, args)], capture_output=True,
                          text=True, timeout=30)


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class Generate(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="zdu-generate-"))

    def test_description_form_matches_the_golden_file_but_the_date(self):
        out = self.dir / "loadbalancer.xml"
        result = run("generate", "--description", DESCRIPTION, "--config", "shop-lb-config",
                     "-o", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(FOOTER.sub("", out.read_text()), FOOTER.sub("", GOLDEN.read_text()))
        self.assertEqual(oct(out.stat().st_mode & 0o777), "0o644")
        self.assertEqual(run("validate", out).returncode, 0)

    def test_quick_form_validates(self):
        out = self.dir / "quick.xml"
        result = run("generate", "--cluster", "c1", "--instance", "i1=http://127.0.0.1:8081",
                     "--instance", "i2=http://127.0.0.1:8082", "--web-module", "/app",
                     "--health-checker", "/ping,30,10", "--weight", "i2=300", "--version",
                     "i2=2.0", "--property", "response-timeout-in-seconds=60", "-o", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        text = out.read_text()
        self.assertIn('policy="weighted-round-robin"', text)
        self.assertRegex(text, r'<instance name="i2"[^>]* weight="300" version="2.0"/>')
        self.assertIn('<health-checker url="/ping" interval-in-seconds="30" '
                      'timeout-in-seconds="10"/>', text)
        self.assertIn('<web-module context-root="/app"', text)
        validate = run("validate", out)
        self.assertEqual(validate.returncode, 0, validate.stderr)

    def test_without_output_it_prints(self):
        result = run("generate", "--cluster", "c1", "--instance", "i1=http://127.0.0.1:8081")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('<cluster name="c1" policy="round-robin"', result.stdout)

    def test_unknown_lb_config_is_named(self):
        result = run("generate", "--description", DESCRIPTION, "--config", "nope")
        self.assertEqual(result.returncode, 1)
        self.assertIn("no lb-config 'nope'", result.stderr)
        self.assertIn("'shop-lb-config'", result.stderr)

    def test_broken_description_names_file_and_line(self):
        bad = self.dir / "bad.xml"
        bad.write_text(DESCRIPTION.read_text().replace('weight="200"', 'weight="lots"'))
        out = self.dir / "never.xml"
        result = run("generate", "--description", bad, "--config", "shop-lb-config", "-o", out)
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stderr, rf"{bad}:32: server 'shop-i2': weight 'lots'")
        self.assertFalse(out.exists())

    def test_bad_arguments_are_named(self):
        result = run("generate", "--cluster", "c1", "--instance", "i1=ftp://h:1")
        self.assertEqual(result.returncode, 1)
        self.assertIn("--instance 'i1=ftp://h:1'", result.stderr)
        result = run("generate", "--cluster", "c1", "--instance", "i1=http://h:1", "--weight",
                     "i9=3")
        self.assertEqual(result.returncode, 1)
        self.assertIn("--weight 'i9=3': no --instance 'i9'", result.stderr)

    def test_misuse_is_a_usage_error(self):
        self.assertEqual(run("generate").returncode, 2)
        self.assertEqual(run("generate", "--description", DESCRIPTION).returncode, 2)
        self.assertEqual(run("generate", "--cluster", "c1").returncode, 2)
        self.assertEqual(run("generate", "--description", DESCRIPTION, "--config", "x",
                             "--cluster", "c1").returncode, 2)

    def test_help_shows_both_examples(self):
        result = run("generate", "--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("--description cluster-description.xml --config", result.stdout)
        self.assertIn("--instance i1=http://127.0.0.1:8081", result.stdout)


if __name__ == "__main__":
    unittest.main()
