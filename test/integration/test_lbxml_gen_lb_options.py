"""GlassFish's create-http-lb and create-http-lb-config options in lbxml-gen, run as real
processes: each option's effect on the cluster description and on the loadbalancer.xml exported
from it, each documented refusal (exit 1, file untouched) and each usage error (exit 2)."""
import os
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

from harness import paths

DESCRIPTION = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE cluster-description PUBLIC "-//mod_zdu//DTD Cluster Description 1.0//EN" "zdu-cluster-description_1_0.dtd">
<cluster-description>
  <applications>
    <application name="shop" context-root="/shop"/>
    <application name="admin" context-root="/admin"/>
  </applications>
  <clusters>
    <cluster name="c1">
      <server name="i1" listeners="http://127.0.0.1:8081"/>
      <server name="i2" listeners="http://127.0.0.1:8082 https://127.0.0.1:8443"/>
      <application-ref ref="shop"/>
    </cluster>
  </clusters>
  <servers>
    <server name="s1" listeners="http://127.0.0.1:7081">
      <application-ref ref="admin"/>
    </server>
  </servers>
  <lb-configs>
    <lb-config name="lb1-config">
      <cluster-ref ref="c1"/>
    </lb-config>
  </lb-configs>
  <load-balancers>
    <load-balancer name="lb1" lb-config-name="lb1-config">
      <front-end url="http://127.0.0.1:8080/zdu-manager"/>
    </load-balancer>
  </load-balancers>
</cluster-description>
"""


def run(*args):
    env = {k: v for k, v in os.environ.items() if k != "ZDU_CLUSTER_DESCRIPTION"}
    return subprocess.run([str(paths.lbxml_gen()), *map(str, args)], capture_output=True,
                          text=True, timeout=30, env=env)


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class LbOptions(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="zdu-lbopt-"))
        self.path = self.dir / "cluster.xml"
        self.path.write_text(DESCRIPTION)

    def command(self, command, *args):
        return run(command, "--description", self.path, *args)

    def ok(self, command, *args):
        result = self.command(command, *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return ET.parse(self.path).getroot()

    def exported(self, *selector):
        out = self.dir / "loadbalancer.xml"
        out.unlink(missing_ok=True)
        result = run("export-http-lb-config", "--description", self.path, *selector, out)
        self.assertEqual(result.returncode, 0, result.stderr)
        return ET.parse(out).getroot()

    @staticmethod
    def properties(element):
        return {p.get("name"): p.get("value") for p in element.findall("property")}

    # create-http-lb -----------------------------------------------------------------------

    def test_lbtargets_make_the_new_lb_config_s_refs(self):
        root = self.ok("create-http-lb", "--lbtargets", "c1,s1", "--front-end",
                       "http://127.0.0.1:8090/zdu-manager", "lb2")
        lb = root.find("load-balancers/load-balancer[@name='lb2']")
        self.assertEqual(lb.get("lb-config-name"), "lb2_LB_CONFIG")
        config = root.find("lb-configs/lb-config[@name='lb2_LB_CONFIG']")
        self.assertEqual([r.get("ref") for r in config.findall("cluster-ref")], ["c1"])
        self.assertEqual([r.get("ref") for r in config.findall("server-ref")], ["s1"])
        xml = self.exported("--lbname", "lb2")
        self.assertEqual([c.get("name") for c in xml.findall("cluster")], ["c1", "s1"])

    def test_target_is_the_single_target_form(self):
        root = self.ok("create-http-lb", "--target", "s1", "lb2")
        config = root.find("lb-configs/lb-config[@name='lb2_LB_CONFIG']")
        self.assertEqual([r.get("ref") for r in config.findall("server-ref")], ["s1"])
        self.assertEqual(config.findall("cluster-ref"), [])

    def test_device_becomes_the_https_manager_url(self):
        root = self.ok("create-http-lb", "--devicehost", "web1.example", "--deviceport", "8443",
                       "--front-end", "https://web2.example/zdu-manager", "--target", "c1", "lb2")
        urls = [f.get("url") for f in root.findall(
            "load-balancers/load-balancer[@name='lb2']/front-end")]
        self.assertEqual(urls, ["https://web2.example/zdu-manager",
                                "https://web1.example:8443/zdu-manager"])

    def test_device_with_an_existing_config(self):
        root = self.ok("create-http-lb", "--config", "lb1-config", "--devicehost", "10.0.0.5",
                       "--deviceport", "443", "lb2")
        lb = root.find("load-balancers/load-balancer[@name='lb2']")
        self.assertEqual(lb.get("lb-config-name"), "lb1-config")
        self.assertEqual([f.get("url") for f in lb.findall("front-end")],
                         ["https://10.0.0.5:443/zdu-manager"])
        self.assertEqual(len(root.findall("lb-configs/lb-config")), 1)

    def test_policy_and_weights(self):
        root = self.ok("create-http-lb", "--target", "c1", "--lbpolicy", "weighted-round-robin",
                       "--lbweight", "i1=100:i2=300", "lb2")
        ref = root.find("lb-configs/lb-config[@name='lb2_LB_CONFIG']/cluster-ref")
        self.assertEqual(ref.get("lb-policy"), "weighted-round-robin")
        xml = self.exported("--lbname", "lb2")
        cluster = xml.find("cluster[@name='c1']")
        self.assertEqual(cluster.get("policy"), "weighted-round-robin")
        self.assertEqual({i.get("name"): i.get("weight") for i in cluster.findall("instance")},
                         {"i1": "100", "i2": "300"})

    def test_policy_module(self):
        self.ok("create-http-lb", "--target", "c1", "--lbpolicy", "user-defined",
                "--lbpolicymodule", "/usr/lib/zdu/policy.so", "lb2")
        cluster = self.exported("--lbname", "lb2").find("cluster[@name='c1']")
        self.assertEqual(cluster.get("policy"), "user-defined")
        self.assertEqual(cluster.get("policy-module"), "/usr/lib/zdu/policy.so")

    def test_health_checker(self):
        self.ok("create-http-lb", "--lbtargets", "c1", "--healthcheckerurl", "/ping",
                "--healthcheckerinterval", "15", "--healthcheckertimeout", "4", "lb2")
        checker = self.exported("--lbname", "lb2").find("cluster[@name='c1']/health-checker")
        self.assertEqual((checker.get("url"), checker.get("interval-in-seconds"),
                          checker.get("timeout-in-seconds")), ("/ping", "15", "4"))

    def test_enable_all_instances_and_applications(self):
        self.ok("create-http-lb", "--lbtargets", "c1,s1", "--lbenableallinstances", "false",
                "lb2")
        xml = self.exported("--lbname", "lb2")
        self.assertEqual({i.get("enabled") for i in xml.iter("instance")}, {"false"})
        self.assertEqual({w.get("enabled") for w in xml.iter("web-module")}, {"true"})
        self.path.write_text(DESCRIPTION)
        self.ok("create-http-lb", "--lbtargets", "c1,s1", "--lbenableallapplications=false",
                "lb2")
        xml = self.exported("--lbname", "lb2")
        self.assertEqual({i.get("enabled") for i in xml.iter("instance")}, {"true"})
        self.assertEqual({w.get("enabled") for w in xml.iter("web-module")}, {"false"})

    def test_lb_config_options_become_properties(self):
        root = self.ok("create-http-lb", "--target", "c1", "--responsetimeout", "30",
                       "--httpsrouting=true", "--reloadinterval", "20", "--monitor=false",
                       "--routecookie=true", "--property", "zdu-session-timeout-in-minutes=45",
                       "lb2")
        expected = {"zdu-session-timeout-in-minutes": "45", "response-timeout-in-seconds": "30",
                    "https-routing": "true", "reload-poll-interval-in-seconds": "20",
                    "require-monitor-data": "false"}
        config = root.find("lb-configs/lb-config[@name='lb2_LB_CONFIG']")
        self.assertEqual(self.properties(config), expected)
        exported = self.properties(self.exported("--lbname", "lb2"))
        for name, value in expected.items():
            self.assertEqual(exported.get(name), value, name)
        self.assertNotIn("route-cookie-enabled", exported)

    def test_refusals_change_nothing(self):
        refusals = [
            (["--devicehost", "web1", "--deviceport", "443", "--sslproxyhost", "proxy", "lb2"],
             "--sslproxyhost"),
            (["--target", "c1", "--sslproxyport", "3128", "lb2"], "--sslproxyport"),
            (["--target", "c1", "--routecookie=false", "lb2"], "--routecookie"),
            (["--target", "c1", "--responsetimeout", "-1", "lb2"], "--responsetimeout"),
            (["--target", "c1", "--reloadinterval", "-5", "lb2"], "--reloadinterval"),
            (["--target", "c1", "--property", "https-routing=maybe", "lb2"], "https-routing"),
            (["--target", "c1", "--property", "bad", "lb2"], "--property"),
            (["--devicehost", "web1", "--deviceport", "0", "lb2"], "--deviceport"),
            (["--devicehost", "web1", "--deviceport", "70000", "lb2"], "--deviceport"),
            (["--devicehost", "web1/x", "--deviceport", "443", "lb2"], "--devicehost"),
            (["--lbtargets", "c1,nope", "lb2"], "'nope'"),
            (["--lbtargets", "i1", "lb2"], "clustered instance"),
            (["--target", "c1", "--lbpolicy", "random", "lb2"], "--lbpolicy"),
            (["--target", "c1", "--lbweight", "i1=x", "lb2"], "--lbweight"),
            (["--target", "c1", "--lbweight", "zz=5", "lb2"], "'zz'"),
            (["--target", "s1", "--lbpolicy", "weighted-round-robin", "lb2"], "clusters only"),
            (["--target", "c1", "--healthcheckerurl", "ping", "lb2"], "ping"),
            (["--target", "c1", "lb1"], "already exists"),
        ]
        for args, needle in refusals:
            with self.subTest(args=args):
                result = self.command("create-http-lb", *args)
                self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
                self.assertIn(needle, result.stderr)
                self.assertEqual(self.path.read_text(), DESCRIPTION)

    def test_usage_errors_exit_2(self):
        usage = [
            ["--config", "lb1-config", "--lbtargets", "c1", "lb2"],
            ["--config", "lb1-config", "--responsetimeout", "30", "lb2"],
            ["--config", "lb1-config", "--healthcheckerurl", "/", "lb2"],
            ["--deviceport", "443", "lb2"],
            ["--devicehost", "web1", "lb2"],
            ["--devicehost", "web1", "--deviceport", "https", "lb2"],
            ["--target", "c1", "--responsetimeout", "soon", "lb2"],
            ["--target", "c1", "--httpsrouting", "maybe", "lb2"],
            ["--target", "c1", "--monitor", "maybe", "lb2"],
        ]
        for args in usage:
            with self.subTest(args=args):
                result = self.command("create-http-lb", *args)
                self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
                self.assertEqual(self.path.read_text(), DESCRIPTION)

    def test_help_shows_examples(self):
        for command in ("create-http-lb", "create-http-lb-config"):
            with self.subTest(command=command):
                result = run(command, "--help")
                self.assertEqual(result.returncode, 0)
                self.assertIn("Example:", result.stdout)
                self.assertIn("lbxml-gen " + command + " --description", result.stdout)
        text = run("create-http-lb", "--help").stdout
        for option in ("--lbtargets", "--devicehost", "--deviceport", "--sslproxyhost",
                       "--monitor", "--routecookie", "https://HOST:PORT/zdu-manager"):
            self.assertIn(option, text)

    # create-http-lb-config ----------------------------------------------------------------

    def test_lb_config_options(self):
        root = self.ok("create-http-lb-config", "--target", "s1", "--responsetimeout", "0",
                       "--httpsrouting", "false", "--reloadinterval", "0", "--monitor=true",
                       "--routecookie=true", "--property", "rewrite-location=false", "x")
        config = root.find("lb-configs/lb-config[@name='x']")
        self.assertEqual([r.get("ref") for r in config.findall("server-ref")], ["s1"])
        expected = {"rewrite-location": "false", "response-timeout-in-seconds": "0",
                    "https-routing": "false", "reload-poll-interval-in-seconds": "0",
                    "require-monitor-data": "true"}
        self.assertEqual(self.properties(config), expected)
        exported = self.properties(self.exported("--config", "x"))
        for name, value in expected.items():
            self.assertEqual(exported.get(name), value, name)

    def test_lb_config_name_defaults_to_target_lb_config(self):
        root = self.ok("create-http-lb-config", "--target", "s1")
        self.assertIsNotNone(root.find("lb-configs/lb-config[@name='s1_LB_CONFIG']/server-ref"))

    def test_lb_config_refusals(self):
        refusals = [
            (["--routecookie", "false", "x"], "--routecookie"),
            (["--responsetimeout", "-3", "x"], "--responsetimeout"),
            (["--reloadinterval", "-1", "x"], "--reloadinterval"),
            (["--responsetimeout", "30", "--property", "response-timeout-in-seconds=40", "x"],
             "given twice"),
            ([], "NAME"),
            (["--target", "c1", "--target", "s1"], "NAME"),
        ]
        for args, needle in refusals:
            with self.subTest(args=args):
                result = self.command("create-http-lb-config", *args)
                self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
                self.assertIn(needle, result.stderr)
                self.assertEqual(self.path.read_text(), DESCRIPTION)
        for args in (["--monitor", "perhaps", "x"], ["--reloadinterval", "often", "x"]):
            with self.subTest(args=args):
                self.assertEqual(self.command("create-http-lb-config", *args).returncode, 2)
                self.assertEqual(self.path.read_text(), DESCRIPTION)


if __name__ == "__main__":
    unittest.main()
