"""apachectl -t and startup with a missing or invalid loadbalancer.xml, or without mod_proxy:
a clear message naming the file and line, and httpd refuses to start."""
import re
import unittest

from harness import ZduTestCase
from harness.httpd import Httpd

MISSING_LISTENERS = """<?xml version="1.0" encoding="UTF-8"?>
<loadbalancer>
  <cluster name="c1">
    <instance name="i1"/>
  </cluster>
</loadbalancer>
"""

BAD_PORT = """<?xml version="1.0" encoding="UTF-8"?>
<loadbalancer>
  <cluster name="c1">
    <instance name="i1" listeners="http://127.0.0.1:99999"/>
  </cluster>
</loadbalancer>
"""


class ConfigErrors(ZduTestCase):
    def configtest(self, xml=None, **opts):
        httpd = Httpd(self.make_tmpdir(), xml, **opts)
        return httpd, httpd.configtest()

    def test_missing_file(self):
        httpd, (rc, output) = self.configtest()
        self.assertNotEqual(rc, 0)
        self.assertIn(str(httpd.xml_path), output)

    def test_missing_listeners_names_the_line(self):
        httpd, (rc, output) = self.configtest(MISSING_LISTENERS)
        self.assertNotEqual(rc, 0)
        self.assertRegex(output, re.escape(str(httpd.xml_path)) + r":4:.*listeners")

    def test_bad_port_names_the_value(self):
        httpd, (rc, output) = self.configtest(BAD_PORT)
        self.assertNotEqual(rc, 0)
        self.assertIn("99999", output)
        self.assertIn(":4:", output)

    def test_valid_config_passes(self):
        backends = self.start_backends(("1.0",))
        from harness.testcase import cluster_of
        from harness.xml import loadbalancer_xml
        httpd, (rc, output) = self.configtest(loadbalancer_xml([cluster_of(backends)]))
        self.assertEqual(rc, 0, output)

    def test_needs_mod_proxy(self):
        httpd, (rc, output) = self.configtest(MISSING_LISTENERS, proxy_modules=False)
        self.assertNotEqual(rc, 0)
        self.assertIn("mod_proxy", output)
        self.assertIn("ZDU0003", output)


class UnimplementedProperties(ZduTestCase):
    """Properties mod_zdu accepts but does not implement yet are named in the log at start;
    require-monitor-data is implemented (/lbgetmonitordata), so it is not."""

    def test_require_monitor_data_not_warned(self):
        httpd, _ = self.start_cluster(versions=("1.0",),
                                      properties={"require-monitor-data": "true"})
        self.assertNotIn("ZDU0091", httpd.error_log())

    def test_no_warning_when_off(self):
        httpd, _ = self.start_cluster(versions=("1.0",),
                                      properties={"require-monitor-data": "false"})
        self.assertNotIn("ZDU0091", httpd.error_log())


if __name__ == "__main__":
    unittest.main()
