"""lbxml-gen's admin commands on a cluster description, run as real processes: each command's
exact effect on the file (golden text), every refusal leaving the file and its .bak untouched,
unrelated content kept byte for byte, list commands' --json, export and diff."""
import json
import os
import subprocess
import tempfile
import unittest
from pathlib import Path

from harness import paths

# Written in the canonical form lbxml-gen writes, so every edit's expected text is this text with
# only the lines the edit touches changed: all the rest is the unrelated content that must stay.
DESCRIPTION = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cluster-description PUBLIC "-//mod_zdu//DTD Cluster Description 1.0//EN" "zdu-cluster-description_1_0.dtd">
<cluster-description>
  <applications>
    <application name="shop" context-root="/shop" error-url="/shop/sorry.html" logout-url-pattern="/logout" session-timeout-in-minutes="20" stale-session="error-url">
      <idempotent-url-pattern url-pattern="/shop/catalog/*" no-of-retries="3"/>
    </application>
    <application name="admin" context-root="/admin"/>
    <application name="blog" context-root="/blog"/>
  </applications>
  <clusters>
    <cluster name="c1" session-cookie="SHOPSESSION" active-version="1.0">
      <server name="i1" listeners="http://127.0.0.1:8081" version="1.0" route="r1" domain="d1"/>
      <server name="i2" listeners="http://127.0.0.1:8082 https://127.0.0.1:8443" weight="200" version="1.0"/>
      <server name="i3" listeners="http://127.0.0.1:8083" version="2.0"/>
      <application-ref ref="shop"/>
    </cluster>
    <cluster name="c2">
      <server name="j1" listeners="http://127.0.0.1:9081"/>
      <application-ref ref="blog"/>
    </cluster>
  </clusters>
  <servers>
    <server name="s1" listeners="http://127.0.0.1:7081">
      <application-ref ref="admin"/>
    </server>
  </servers>
  <lb-configs>
    <lb-config name="lb1-config">
      <cluster-ref ref="c1" lb-policy="weighted-round-robin">
        <health-checker url="/shop/ping" interval-in-seconds="10" timeout-in-seconds="5"/>
        <server-ref ref="i3" lb-enabled="false"/>
      </cluster-ref>
      <server-ref ref="s1"/>
      <property name="response-timeout-in-seconds" value="60"/>
      <property name="zdu-session-timeout-in-minutes" value="45"/>
    </lb-config>
    <lb-config name="spare-config">
      <cluster-ref ref="c2"/>
    </lb-config>
  </lb-configs>
  <load-balancers>
    <load-balancer name="lb1" lb-config-name="lb1-config" secret-file="/etc/zdu/secret">
      <front-end url="http://127.0.0.1:8080/zdu-manager"/>
      <front-end url="https://web2.example:443/zdu-manager"/>
    </load-balancer>
  </load-balancers>
</cluster-description>
"""


def run(*args, env=None):
    return subprocess.run([str(paths.lbxml_gen()), *map(str, args)], capture_output=True,
                          text=True, timeout=30, env=env)


def replaced(text, *edits):
    """`text` with each (old, new) applied; each old must occur exactly once."""
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


I1 = '<server name="i1" listeners="http://127.0.0.1:8081" version="1.0" route="r1" domain="d1"/>'
I2 = ('<server name="i2" listeners="http://127.0.0.1:8082 https://127.0.0.1:8443" weight="200" '
      'version="1.0"/>')
I3 = '<server name="i3" listeners="http://127.0.0.1:8083" version="2.0"/>'
I3_REF = '        <server-ref ref="i3" lb-enabled="false"/>\n'
C1 = '<cluster name="c1" session-cookie="SHOPSESSION" active-version="1.0">'
S1_REF = '      <server-ref ref="s1"/>\n'
SPARE = '    <lb-config name="spare-config">\n      <cluster-ref ref="c2"/>\n    </lb-config>\n'
HEALTH = ('        <health-checker url="/shop/ping" interval-in-seconds="10" '
          'timeout-in-seconds="5"/>\n')
LB1 = """  <load-balancers>
    <load-balancer name="lb1" lb-config-name="lb1-config" secret-file="/etc/zdu/secret">
      <front-end url="http://127.0.0.1:8080/zdu-manager"/>
      <front-end url="https://web2.example:443/zdu-manager"/>
    </load-balancer>
  </load-balancers>
"""

# (arguments, the edits that turn DESCRIPTION into the expected file)
EFFECTS = {
    "create-http-lb-config": (
        ["--target", "c2", "--property", "https-routing=true", "--responsetimeout", "30",
         "new-config"],
        [("  </lb-configs>", """    <lb-config name="new-config">
      <cluster-ref ref="c2">
        <server-ref ref="j1"/>
        <application-ref ref="blog"/>
      </cluster-ref>
      <property name="https-routing" value="true"/>
      <property name="response-timeout-in-seconds" value="30"/>
    </lb-config>
  </lb-configs>""")]),
    "delete-http-lb-config": (["spare-config"], [(SPARE, "")]),
    "create-http-lb-ref": (
        ["--config", "spare-config", "--lbweight", "i1=50", "--healthcheckerurl", "/ping",
         "--lbenableallinstances", "false", "c1"],
        [(I1, I1.replace('version="1.0"', 'weight="50" version="1.0"')),
         ('      <cluster-ref ref="c2"/>\n    </lb-config>\n  </lb-configs>',
          """      <cluster-ref ref="c2"/>
      <cluster-ref ref="c1">
        <health-checker url="/ping"/>
        <server-ref ref="i1" lb-enabled="false"/>
        <server-ref ref="i2" lb-enabled="false"/>
        <server-ref ref="i3" lb-enabled="false"/>
        <application-ref ref="shop"/>
      </cluster-ref>
    </lb-config>
  </lb-configs>""")]),
    "delete-http-lb-ref": (["--config", "spare-config", "--force", "c2"],
                           [(SPARE, '    <lb-config name="spare-config"/>\n')]),
    "create-http-health-checker": (
        ["--url", "/ping", "--interval", "7", "--timeout", "3", "--config", "lb1-config", "s1"],
        [(S1_REF, """      <server-ref ref="s1">
        <health-checker url="/ping" interval-in-seconds="7" timeout-in-seconds="3"/>
      </server-ref>
""")]),
    "delete-http-health-checker": (["--config", "lb1-config", "c1"], [(HEALTH, "")]),
    "enable-http-lb-server": (["i3"], [(I3_REF, '        <server-ref ref="i3"/>\n')]),
    "disable-http-lb-server": (
        ["--timeout", "12", "c1"],
        [(I3_REF, """        <server-ref ref="i1" lb-enabled="false" disable-timeout-in-minutes="12"/>
        <server-ref ref="i2" lb-enabled="false" disable-timeout-in-minutes="12"/>
        <server-ref ref="i3" lb-enabled="false" disable-timeout-in-minutes="12"/>
""")]),
    "disable-http-lb-application": (
        ["--timeout", "9", "--name", "shop", "c1"],
        [(I3_REF, I3_REF + '        <application-ref ref="shop" lb-enabled="false" '
                           'disable-timeout-in-minutes="9"/>\n')]),
    "enable-http-lb-application": (
        ["--name", "admin", "s1"],
        [(S1_REF, '      <server-ref ref="s1">\n        <application-ref ref="admin"/>\n'
                  '      </server-ref>\n')]),
    "configure-lb-weight": (
        ["--cluster", "c1", "i1=10:i3=30"],
        [(I1, I1.replace('version="1.0"', 'weight="10" version="1.0"')),
         (I3, I3.replace('version="2.0"', 'weight="30" version="2.0"'))]),
    "create-http-lb": (
        ["--config", "spare-config", "--front-end", "http://127.0.0.1:8090/zdu-manager",
         "--secret-file", "/etc/zdu/s2", "lb2"],
        [("  </load-balancers>", """    <load-balancer name="lb2" lb-config-name="spare-config" secret-file="/etc/zdu/s2">
      <front-end url="http://127.0.0.1:8090/zdu-manager"/>
    </load-balancer>
  </load-balancers>""")]),
    "delete-http-lb": (["lb1"], [(LB1, "  <load-balancers/>\n")]),
    "create-http-lb-instance": (
        ["--cluster", "c1", "--listeners", "http://127.0.0.1:8084", "--weight", "150",
         "--version", "2.0", "--route", "r4", "--domain", "d2", "--lbenabled", "false", "i4"],
        [(I3, I3 + '\n      <server name="i4" listeners="http://127.0.0.1:8084" weight="150" '
                   'version="2.0" route="r4" domain="d2"/>'),
         (I3_REF, I3_REF + '        <server-ref ref="i4" lb-enabled="false"/>\n')]),
    "delete-http-lb-instance": (["--cluster", "c1", "i3"],
                                [("      " + I3 + "\n", ""), (I3_REF, "")]),
    "set-http-lb-instance-version": (["--cluster", "c1", "--version", "2.0", "i2"],
                                     [(I2, I2.replace('"1.0"', '"2.0"'))]),
    "set-http-lb-active-version": (["--cluster", "c1", "2.0"],
                                   [(C1, C1.replace('"1.0"', '"2.0"'))]),
    "set-http-lb-canary": (
        ["--cluster", "c1", "--version", "2.0", "--percent", "25"],
        [(C1, C1.replace('">', '" canary-version="2.0" canary-percent="25">'))]),
}

# (command, arguments, text the error must contain): each exits 1 and changes nothing.
REFUSALS = [
    ("create-http-lb-config", ["lb1-config"], "already exists"),
    ("create-http-lb-config", ["--target", "nope", "x"], "'nope'"),
    ("create-http-lb-config", ["--property", "response-timeout-in-seconds=abc", "x"],
     "response-timeout-in-seconds"),
    ("delete-http-lb-config", ["lb1-config"], "'lb1'"),
    ("delete-http-lb-config", ["nope"], "no lb-config"),
    ("create-http-lb-ref", ["--config", "lb1-config", "c1"], "already references"),
    ("create-http-lb-ref", ["--lbname", "nolb", "c2"], "no load-balancer"),
    ("create-http-lb-ref", ["--config", "spare-config", "i1"], "clustered instance"),
    ("create-http-lb-ref", ["--config", "spare-config", "--lbweight", "i1=x", "c1"], "--lbweight"),
    ("create-http-lb-ref", ["--config", "spare-config", "--lbpolicy", "random", "c1"], "random"),
    ("delete-http-lb-ref", ["--config", "lb1-config", "c1"], "still lb-enabled"),
    ("delete-http-lb-ref", ["--config", "lb1-config", "s1"], "still lb-enabled"),
    ("delete-http-lb-ref", ["--config", "spare-config", "c1"], "no ref"),
    ("create-http-health-checker", ["--config", "lb1-config", "c1"], "already has"),
    ("create-http-health-checker", ["--url", "ping", "--config", "lb1-config", "s1"], "--url"),
    ("delete-http-health-checker", ["--config", "lb1-config", "s1"], "no health checker"),
    ("enable-http-lb-server", ["zz"], "'zz'"),
    ("disable-http-lb-application", ["--name", "admin", "c1"], "not deployed"),
    ("enable-http-lb-application", ["--name", "nope", "c1"], "no application"),
    ("configure-lb-weight", ["--cluster", "c1", "i1=5:zz=6"], "'zz'"),
    ("configure-lb-weight", ["--cluster", "nope", "i1=5"], "no cluster"),
    ("create-http-lb", ["--config", "nope", "lb2"], "no lb-config"),
    ("create-http-lb", ["--config", "spare-config", "lb1"], "already exists"),
    ("create-http-lb", ["--config", "spare-config", "--front-end", "ftp://x/", "lb2"], "ftp://x/"),
    ("delete-http-lb", ["nope"], "no load-balancer"),
    ("create-http-lb-instance", ["--cluster", "c1", "--listeners", "http://h:99999", "i9"],
     "--listeners"),
    ("create-http-lb-instance", ["--cluster", "c1", "--listeners", "http://h:1", "s1"], "taken"),
    ("create-http-lb-instance",
     ["--cluster", "c1", "--listeners", "http://h:1", "--version", "a b", "i9"], "version"),
    ("delete-http-lb-instance", ["--cluster", "c1", "i1"], "still lb-enabled"),
    ("delete-http-lb-instance", ["--cluster", "c1", "zz"], "no instance"),
    ("set-http-lb-instance-version", ["--cluster", "c1", "--version", "a/b", "i1"], "version"),
    ("set-http-lb-active-version", ["--cluster", "c1", "9.9"], "'9.9'"),
    ("set-http-lb-canary", ["--cluster", "c1", "--version", "9.9", "--percent", "5"], "'9.9'"),
    ("set-http-lb-canary", ["--cluster", "c1", "--version", "2.0", "--percent", "101"], "0..100"),
    # The edit's own checks pass, but lb1-config would no longer export: the canary must be
    # above the active version.
    ("set-http-lb-canary", ["--cluster", "c1", "--version", "1.0", "--percent", "5"], "unexportable"),
]


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class AdminCommands(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="zdu-lbcmd-"))
        self.path = self.dir / "cluster.xml"
        self.path.write_text(DESCRIPTION)
        self.backup = self.dir / "cluster.xml.bak"

    def test_fixture_is_canonical(self):
        # A no-op edit rewrites the file; if the writer's form changed, every golden below
        # would fail for that reason, so say so first.
        result = run("set-http-lb-active-version", "--description", self.path, "--cluster", "c1",
                     "1.0")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.path.read_text(), DESCRIPTION)

    def test_every_command_has_its_golden_effect(self):
        for command, (args, edits) in EFFECTS.items():
            with self.subTest(command=command):
                self.path.write_text(DESCRIPTION)
                self.backup.unlink(missing_ok=True)
                result = run(command, "--description", self.path, *args)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertTrue(result.stdout.strip())
                self.assertEqual(self.path.read_text(), replaced(DESCRIPTION, *edits))
                # The previous copy is kept, byte for byte.
                self.assertEqual(self.backup.read_text(), DESCRIPTION)
                self.assertEqual(run("list-http-lbs", "--description", self.path).returncode, 0)

    def test_every_refusal_changes_nothing(self):
        for command, args, needle in REFUSALS:
            with self.subTest(command=command, args=args):
                self.path.write_text(DESCRIPTION)
                result = run(command, "--description", self.path, *args)
                self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
                self.assertIn(needle, result.stderr)
                self.assertEqual(self.path.read_text(), DESCRIPTION)
                self.assertFalse(self.backup.exists())
                self.assertEqual(list(self.dir.iterdir()), [self.path])  # no temp file left

    def test_usage_errors_exit_2(self):
        for args in (["configure-lb-weight", "--description", self.path, "--cluster", "c1"],
                     ["create-http-lb-ref", "--description", self.path, "c1", "--config", "a",
                      "--lbname", "b"],
                     ["disable-http-lb-server", "--description", self.path, "--timeout", "x",
                      "i1"],
                     ["enable-http-lb-server", "i1"]):
            with self.subTest(args=args):
                env = {k: v for k, v in os.environ.items() if k != "ZDU_CLUSTER_DESCRIPTION"}
                self.assertEqual(run(*args, env=env).returncode, 2)
        self.assertEqual(self.path.read_text(), DESCRIPTION)

    def test_an_invalid_description_is_reported_with_its_line_and_kept(self):
        bad = DESCRIPTION.replace('<cluster-ref ref="c2"/>', '<cluster-ref ref="c9"/>')
        self.path.write_text(bad)
        result = run("enable-http-lb-server", "--description", self.path, "i1")
        self.assertEqual(result.returncode, 1)
        line = bad.splitlines().index('      <cluster-ref ref="c9"/>') + 1
        self.assertIn(f"{self.path}:{line}:", result.stderr)
        self.assertEqual(self.path.read_text(), bad)

    def test_description_from_the_environment(self):
        env = dict(os.environ, ZDU_CLUSTER_DESCRIPTION=str(self.path))
        result = run("disable-http-lb-server", "s1", env=env)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('<server-ref ref="s1" lb-enabled="false"/>', self.path.read_text())

    def test_a_symlinked_description_is_edited_where_it_lives(self):
        real_dir = self.dir / "checkout"
        real_dir.mkdir()
        real = real_dir / "cluster.xml"
        real.write_text(DESCRIPTION)
        self.path.unlink()
        self.path.symlink_to(real)
        result = run("disable-http-lb-server", "--description", self.path, "s1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(self.path.is_symlink())
        self.assertIn('<server-ref ref="s1" lb-enabled="false"/>', real.read_text())
        self.assertEqual((real_dir / "cluster.xml.bak").read_text(), DESCRIPTION)

    def test_edits_in_a_row_keep_unrelated_content(self):
        for args in (["disable-http-lb-server", "i1"], ["enable-http-lb-server", "i1"],
                     ["delete-http-health-checker", "--config", "lb1-config", "c1"],
                     ["create-http-health-checker", "--url", "/shop/ping", "--interval", "10",
                      "--timeout", "5", "--config", "lb1-config", "c1"]):
            result = run(args[0], "--description", self.path, *args[1:])
            self.assertEqual(result.returncode, 0, result.stderr)
        expected = replaced(DESCRIPTION, (I3_REF, '        <server-ref ref="i1"/>\n' + I3_REF))
        self.assertEqual(self.path.read_text(), expected)

    def test_list_commands(self):
        result = run("list-http-lb-configs", "--description", self.path)
        self.assertEqual(result.stdout, "lb1-config\nspare-config\n")
        result = run("list-http-lb-configs", "--description", self.path, "--json", "c2")
        self.assertEqual(json.loads(result.stdout), [
            {"name": "spare-config", "clusters": ["c2"], "servers": [], "load_balancers": []}])
        result = run("list-http-lbs", "--description", self.path, "--json")
        self.assertEqual(json.loads(result.stdout), [
            {"name": "lb1", "lb_config": "lb1-config", "secret_file": "/etc/zdu/secret",
             "front_ends": ["http://127.0.0.1:8080/zdu-manager",
                            "https://web2.example:443/zdu-manager"]}])
        self.assertEqual(run("list-http-lbs", "--description", self.path, "x").returncode, 1)

    def test_help_shows_an_example_for_every_command(self):
        everything = run("--help-all")
        self.assertEqual(everything.returncode, 0)
        for command in [*EFFECTS, "validate", "list-http-lb-configs", "list-http-lbs",
                        "export-http-lb-config", "diff"]:
            with self.subTest(command=command):
                result = run(command, "--help")
                self.assertEqual(result.returncode, 0)
                self.assertIn(f"Example:\n  lbxml-gen {command} ", result.stdout)
                self.assertTrue(f"    lbxml-gen {command} " in everything.stdout,
                                f"--help-all has no example of {command}")


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class ExportAndDiff(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="zdu-lbexp-"))
        self.path = self.dir / "cluster.xml"
        self.path.write_text(DESCRIPTION)

    def export(self, out, *extra):
        return run("export-http-lb-config", "--description", self.path, *extra, out)

    def test_export_validates_and_refuses_to_overwrite(self):
        out = self.dir / "loadbalancer.xml"
        result = self.export(out, "--lbname", "lb1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(run("validate", out).returncode, 0)
        first = out.read_text()
        self.assertIn('<cluster name="c1"', first)
        self.assertIn('<cluster name="s1"', first)  # standalone: a cluster of one

        result = self.export(out, "--config", "lb1-config")
        self.assertEqual(result.returncode, 1)
        self.assertIn("--force", result.stderr)
        self.assertEqual(out.read_text(), first)

        result = self.export(out, "--config", "spare-config", "--force")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn('<cluster name="c2"', out.read_text())
        self.assertEqual((self.dir / "loadbalancer.xml.bak").read_text(), first)

    def test_export_refusals(self):
        out = self.dir / "x.xml"
        self.assertEqual(self.export(out, "--lbname", "nope").returncode, 1)
        self.assertEqual(self.export(out, "--config", "nope").returncode, 1)
        self.assertEqual(self.export(out).returncode, 2)
        self.assertFalse(out.exists())

    def test_diff_names_what_changed_for_operators(self):
        old, new = self.dir / "old.xml", self.dir / "new.xml"
        self.assertEqual(self.export(old, "--lbname", "lb1").returncode, 0)
        self.assertEqual(run("diff", old, old).stdout, "no change\n")
        for args in (["disable-http-lb-server", "--timeout", "5", "i1"],
                     ["configure-lb-weight", "--cluster", "c1", "i2=300"],
                     ["set-http-lb-instance-version", "--cluster", "c1", "--version", "2.0",
                      "i2"],
                     ["set-http-lb-canary", "--cluster", "c1", "--version", "2.0", "--percent",
                      "10"],
                     ["create-http-lb-instance", "--cluster", "c1", "--listeners",
                      "http://127.0.0.1:8084", "--version", "2.0", "i4"],
                     ["delete-http-lb-instance", "--cluster", "c1", "--force", "i3"],
                     ["disable-http-lb-application", "--name", "shop", "c1"]):
            result = run(args[0], "--description", self.path, *args[1:])
            self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.export(new, "--lbname", "lb1").returncode, 0)
        result = run("diff", old, new)
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        for expected in ("canary c1 off -> 2.0 10%",
                         "instance disabled c1/i1",
                         "disable timeout c1/i1 30 -> 5 minutes",
                         "weight c1/i2 200 -> 300",
                         "version c1/i2 1.0 -> 2.0",
                         "instance added c1/i4 (version 2.0, weight 100)",
                         "instance removed c1/i3",
                         "web-module disabled c1/shop"):
            self.assertIn(expected, lines)

    def test_diff_of_an_invalid_file_exits_1_with_its_line(self):
        good = self.dir / "good.xml"
        self.assertEqual(self.export(good, "--lbname", "lb1").returncode, 0)
        bad = self.dir / "bad.xml"
        bad.write_text(good.read_text().replace('weight="200"', 'weight="heavy"'))
        result = run("diff", good, bad)
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"{bad}:", result.stderr)
        self.assertEqual(run("diff", good).returncode, 2)


if __name__ == "__main__":
    unittest.main()
