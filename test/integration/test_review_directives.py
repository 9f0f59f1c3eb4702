"""Directive arguments httpd cannot resolve (real apache2 -t): a relative path longer than
PATH_MAX once joined to ServerRoot makes ap_server_root_relative() return NULL; each directive
taking a path must refuse it with a message, not crash the config pass."""
from harness import ZduTestCase
from harness.httpd import Httpd
from harness.paths import module_path

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
