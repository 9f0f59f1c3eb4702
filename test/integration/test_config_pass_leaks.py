"""What a config pass of mod_zdu allocates is freed when the pass ends: the config pool's
cleanup, run in the parent between the two passes of a start, at each graceful restart and at
the stop, leaves nothing of the module's state allocated (the module is unloaded right after,
so what it kept would be lost for good, once per graceful restart).

ASan build only (ZDU_HTTPD_PRELOAD): httpd runs with LeakSanitizer on, which the harness
leaves off (harness/sanitizer.py says why: httpd and APR leak by design), and the test keeps
only the leaks mod_zdu's config passes made. The children inherit the parent's memory, so the
leaks of the passes that ended before they were forked are in their reports, symbolized."""
import os
import re
import tempfile
import unittest
from unittest import mock

from harness import Httpd, ZduTestCase, cluster_of, loadbalancer_xml
from harness import sanitizer

LEAK_OPTIONS = "detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=40"
# Where mod_zdu allocates its per-pass state: the ZduConfigFile directive and the config
# pool's cleanup itself.
PASS_FRAMES = ("zdu::glue::(anonymous namespace)::load_config_file",
               "zdu::glue::(anonymous namespace)::forget_config", "zdu::glue::reset_module_state")


def leaks_of(report):
    """Each "Direct/Indirect leak of ..." block of a LeakSanitizer report."""
    return [block for block in re.split(r"\n(?=(?:Direct|Indirect) leak of )", report)
            if re.match(r"(Direct|Indirect) leak of ", block)]


@unittest.skipUnless(sanitizer.enabled(), f"ASan build only ({sanitizer.PRELOAD_ENV})")
class ConfigPassLeaks(ZduTestCase):
    def run_with_leak_checks(self):
        """Starts, serves, restarts gracefully and stops httpd with LeakSanitizer on; returns
        every leak of every process. Its temp dir is not a test dir, so the reports, which
        httpd and APR always have, fail nothing by themselves."""
        backends = self.start_backends(("1.0", "1.0"))
        with tempfile.TemporaryDirectory(prefix="zdu-leaks-") as root, \
                mock.patch.dict(os.environ, {"ZDU_HTTPD_ASAN_OPTIONS": LEAK_OPTIONS}):
            httpd = Httpd(root, loadbalancer_xml([cluster_of(backends)]))
            httpd.start()
            try:
                self.assertEqual(self.client(httpd).get("/app/login").status, 200)
                httpd.graceful()
                self.assertEqual(self.client(httpd).get("/app/login").status, 200)
            finally:
                httpd.stop()
            return [leak for _, text in httpd.sanitizer_reports() for leak in leaks_of(text)]

    def test_an_ended_config_pass_leaves_nothing_of_the_module_allocated(self):
        leaks = self.run_with_leak_checks()
        # httpd's own leaks show LeakSanitizer ran.
        self.assertTrue(leaks, "no leak report at all: LeakSanitizer did not run")
        ours = [leak for leak in leaks if any(frame in leak for frame in PASS_FRAMES)]
        self.assertFalse(ours, f"{len(ours)} leaks of mod_zdu's config passes:\n" +
                         "\n".join(leak[:3000] for leak in ours[:4]))


if __name__ == "__main__":
    unittest.main()
