"""The sanitizer build's own check: an ASan or UBSan report in an httpd child fails the test
that ran it, with the report in the failure. The report is made on purpose by a test-only
module (test/integration/sanitizer-probe, built only in build-asan, where ctest names it in
ZDU_SANITIZER_PROBE); mod_zdu carries no such hook. Skipped in other builds."""
import http.client
import os
import unittest

from harness import HarnessTestCase

PROBE_ENV = "ZDU_SANITIZER_PROBE"


def probe_conf():
    return (f'LoadModule zdu_sanitizer_probe_module "{os.environ[PROBE_ENV]}"\n'
            f"<Location /probe>\n    SetHandler zdu-sanitizer-probe\n</Location>\n")


def get_status(httpd, path):
    """The status of GET path, or None when the child died before answering."""
    conn = http.client.HTTPConnection("127.0.0.1", httpd.port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    except (http.client.HTTPException, ConnectionError):
        return None
    finally:
        conn.close()


def run_probe(path):
    """Runs, as a test of its own, a test that asks the probe for `path` (and checks nothing
    itself); returns (unittest result, the statuses it saw)."""
    seen = []

    class Probe(HarnessTestCase):
        def test_probe(self):
            httpd = self.start_httpd(zdu=False, extra_conf=probe_conf())
            seen.append(get_status(httpd, path))
            seen.append(get_status(httpd, "/index.html"))

    result = unittest.TestResult()
    Probe("test_probe").run(result)
    return result, seen


@unittest.skipUnless(os.environ.get(PROBE_ENV), f"sanitizer build only ({PROBE_ENV})")
class SanitizerReportsFailTheTest(unittest.TestCase):
    def assertFailedWith(self, result, *texts):
        self.assertEqual(result.errors, [])
        self.assertEqual(len(result.failures), 1, result.failures)
        message = result.failures[0][1]
        self.assertIn("sanitizer reports from httpd", message)
        for text in texts:
            self.assertIn(text, message)

    def test_heap_overflow_in_a_child_fails_the_test(self):
        result, seen = run_probe("/probe/heap-overflow")
        # The child aborted on the report: no answer; the next request another child serves.
        self.assertEqual(seen, [None, 200])
        self.assertFailedWith(result, "ERROR: AddressSanitizer: heap-buffer-overflow",
                              "WRITE of size 1", "in heap_overflow", "sanitizer_probe.c")

    def test_undefined_behaviour_in_a_child_fails_the_test(self):
        result, seen = run_probe("/probe/signed-overflow")
        self.assertEqual(seen, [None, 200])
        self.assertFailedWith(result, "runtime error: signed integer overflow",
                              "in signed_overflow")

    def test_a_run_without_report_passes(self):
        result, seen = run_probe("/probe/nothing")
        self.assertEqual(seen, [404, 200])
        self.assertTrue(result.wasSuccessful(), result.failures + result.errors)
        self.assertEqual(result.testsRun, 1)


if __name__ == "__main__":
    unittest.main()
