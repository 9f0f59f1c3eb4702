"""Directive arguments found in review (real apache2): a relative path longer than PATH_MAX
once joined to ServerRoot makes ap_server_root_relative() return NULL, and each directive taking
a path must refuse it with a message, not crash the config pass; a ZduStateSlots too small for
the config gets a larger block, at start-up and on a graceful restart."""
from harness import ZduTestCase
from harness.httpd import Httpd
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
    """More records than ZduStateSlots, at start-up or after a graceful restart: the block is
    made larger (twice what the config needs), never a failed start."""

    def test_start_up_with_more_records_than_slots(self):
        backend = self.start_backend("i1")
        instances = [{"name": "i1", "listeners": backend.listener}]
        instances += [{"name": f"x{n}", "listeners": f"http://127.0.0.1:{20000 + n}",
                       "enabled": "false"} for n in range(1, 21)]
        cluster = {"name": "c1", "web_modules": [{"context_root": "/app"}],
                   "instances": instances}
        httpd = self.start_httpd(loadbalancer_xml([cluster]), extra_conf="ZduStateSlots 16\n")
        self.assertEqual(self.client(httpd).get("/app/x").status, 200)
        # 23 records (cluster, 21 instances, web-module): a table of 64 slots.
        self.assertRegex(httpd.error_log(), r"ZDU0080: new shared-memory block: layout \d+, 64 ")

    def test_graceful_onto_a_config_that_outgrows_the_table_keeps_serving(self):
        """A graceful restart whose new xml has more records than the block holds must not
        take the running server down: a larger block is made, as for a larger ZduStateSlots."""
        backend = self.start_backend("i1")

        def xml(count):
            instances = [{"name": "i1", "listeners": backend.listener}]
            instances += [{"name": f"x{n}", "listeners": f"http://127.0.0.1:{20000 + n}",
                           "enabled": "false"} for n in range(1, count)]
            return loadbalancer_xml([{"name": "c1", "web_modules": [{"context_root": "/app"}],
                                      "instances": instances}])

        httpd = self.start_httpd(xml(4), extra_conf="ZduStateSlots 16\n")
        self.assertEqual(self.client(httpd).get("/app/x").status, 200)
        httpd.write_xml(xml(30))
        httpd.graceful()
        self.assertEqual(self.client(httpd).fresh().get("/app/x").status, 200)
