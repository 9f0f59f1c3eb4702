"""Directive arguments found in review (real apache2): a relative path longer than PATH_MAX
once joined to ServerRoot makes ap_server_root_relative() return NULL, and each directive taking
a path must refuse it with a message, not crash the config pass; a ZduStateSlots too small for
the config stops start-up naming the directive."""
from harness import ZduTestCase
from harness.httpd import Httpd, HttpdError
from harness.paths import module_path
from harness.xml import loadbalancer_xml

TOO_LONG = "d/" * 3000 + "x"


class UnresolvablePaths(ZduTestCase):
    def configtest(self, directive):
        conf = f'LoadModule zdu_module "{module_path()}"\n{directive} "{TOO_LONG}"\n'
        httpd = Httpd(self.make_tmpdir(), None, zdu=False, extra_conf=conf)
        self.addCleanup(httpd.stop)
        return httpd.configtest()

    def check_refused(self, directive):
        rc, output = self.configtest(directive)
        self.assertGreater(rc, 0, f"{directive}: exits with an error, not a signal: {rc}")
        self.assertIn(directive, output)

    def test_zdu_config_file(self):
        self.check_refused("ZduConfigFile")

    def test_zdu_error_page_dir(self):
        self.check_refused("ZduErrorPageDir")

    def test_zdu_state_file(self):
        self.check_refused("ZduStateFile")


class TooFewStateSlots(ZduTestCase):
    """More records than ZduStateSlots: start-up stops and says which directive to raise."""

    def test_start_up_names_zdu_state_slots(self):
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": [{"name": f"i{n}", "listeners": f"http://127.0.0.1:{20000 + n}"}
                                 for n in range(1, 21)]}
        httpd = Httpd(self.make_tmpdir(), loadbalancer_xml([cluster]),
                      extra_conf="ZduStateSlots 16\n")
        self.addCleanup(httpd.stop)
        with self.assertRaises(HttpdError) as refused:
            httpd.start(timeout=5)
        self.assertIn("raise ZduStateSlots", str(refused.exception))
