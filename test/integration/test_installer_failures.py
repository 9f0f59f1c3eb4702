"""installer/install.sh when something is wrong: it fails non-zero with a clear message and the
tree is exactly as before (checksummed); --dry-run changes nothing; a failing httpd config test
after the files are in place rolls every one of them back."""
import unittest

from harness import installer
from harness.installer import tree_diff
from test_installer_install import InstallerCase

BROKEN_XML = """<?xml version="1.0" encoding="UTF-8"?>
<loadbalancer>
  <cluster name="c1">
    <instance name="i1"/>
  </cluster>
</loadbalancer>
"""


class BadAnswers(InstallerCase):
    def assertFailsCleanly(self, tree, message, *args, **answers):
        before = tree.checksums()
        done = self.install(tree, *args, **answers)
        self.assertNotEqual(done.returncode, 0, done.stdout)
        self.assertIn("install.sh: error:", done.stderr)
        self.assertIn(message, done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")
        return done

    def test_missing_httpd(self):
        tree = self.make_tree()
        self.assertFailsCleanly(tree, "httpd binary '/nonexistent/apache2' not found",
                                httpd_bin="/nonexistent/apache2")
        self.assertFailsCleanly(tree, "is not a directory", httpd_root=tree.base / "nope")

    def test_unwritable_dir(self):
        tree = self.make_tree()
        blocker = tree.base / "bin" / "a-file"
        blocker.write_text("not a directory\n")
        self.assertFailsCleanly(tree, f"bin_dir: '{blocker}/bin' cannot be created",
                                bin_dir=blocker / "bin")

    def test_invalid_xml(self):
        tree = self.make_tree()
        xml = tree.base / "work" / "broken.xml"
        xml.write_text(BROKEN_XML)
        done = self.assertFailsCleanly(tree, "is not a valid loadbalancer.xml", xml_file=xml)
        self.assertIn("broken.xml:4", done.stderr)  # lbxml-gen's FILE:LINE reaches the operator

    def test_bad_values(self):
        tree = self.make_tree()
        self.assertFailsCleanly(tree, "is not name=listener", instances="just-a-name")
        self.assertFailsCleanly(tree, "status must be on or off", status="maybe")
        self.assertFailsCleanly(tree, "config_push on needs manager on", config_push="on")
        path = tree.write_answers(tree.base / "work" / "answers.conf")
        with open(path, "a") as f:
            f.write("no_such_key = 1\n")
        before = tree.checksums()
        done = tree.install(answers_file=path)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("unknown key 'no_such_key'", done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")

    def test_failing_config_test_rolls_everything_back(self):
        tree = self.make_tree()
        old = tree.base / "modules" / "mod_zdu.so"
        old.write_bytes(b"hand-installed")
        before = tree.checksums()
        # A value only httpd can refuse: every file is in place when the config test runs.
        done = self.install(tree, status_allow="not-an-address")
        self.assertNotEqual(done.returncode, 0, done.stdout)
        self.assertIn("created", done.stdout)
        self.assertIn("replaced", done.stdout)
        self.assertIn("the httpd config test failed", done.stderr)
        self.assertIn("not-an-address", done.stderr)  # httpd's own words
        self.assertIn("putting every file back", done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")


class DryRun(InstallerCase):
    def test_dry_run_prints_every_change_and_makes_none(self):
        tree = self.make_tree()
        before = tree.checksums()
        done = self.install(tree, "--dry-run")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(tree_diff(before, tree.checksums()), "")
        for what in ("would create directory", "mods-available/zdu.conf", "mods-enabled/zdu.load",
                     "modules/mod_zdu.so", "bin/lbxml-gen", "would run the httpd config test",
                     "would reload httpd gracefully"):
            self.assertIn(what, done.stdout)
        # The changes a dry run lists are the ones a real install makes.
        listed = sum(1 for line in done.stdout.splitlines() if "would create" in line
                     or "would link" in line or "would replace" in line)
        self.assertInstalled(self.install(tree))
        made = len(tree_diff(before, tree.checksums()).splitlines())
        self.assertEqual(listed + 1, made)  # + the manifest, reported as "would write"

    def test_dry_run_uninstall_and_upgrade_change_nothing(self):
        tree = self.make_tree()
        self.assertInstalled(self.install(tree))
        installed = tree.checksums()
        tmp = tree.base / "work" / "tmp"
        tmp.mkdir()
        done = installer.run_script(tree.conf / "zdu" / "uninstall.sh", "--dry-run", "--purge",
                                    env={"TMPDIR": str(tmp)})
        self.assertEqual(list(tmp.iterdir()), [], "temp files left behind")
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("would remove", done.stdout)
        self.assertEqual(tree_diff(installed, tree.checksums()), "")
        other = tree.base / "work" / "other.so"
        other.write_bytes((tree.base / "modules" / "mod_zdu.so").read_bytes() + b"\0changed")
        done = self.install(tree, "--dry-run", module=other)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("would replace", done.stdout)
        self.assertEqual(tree_diff(installed, tree.checksums()), "")


if __name__ == "__main__":
    unittest.main()
