"""ZduTestCase: unittest base that starts backends and httpd and always tears them down."""
import os
import shutil
import sys
import tempfile
import unittest

from . import paths, sanitizer
from .backend import Backend
from .client import Client
from .httpd import Httpd
from .xml import loadbalancer_xml

KEEP_ENV = "ZDU_KEEP_TMP"  # set to keep every test's temp dir (httpd.conf, logs) for a look
REQUIRE_ENV = "ZDU_REQUIRE_MODULE"  # set (ctest does) to fail rather than skip without the module


class HarnessTestCase(unittest.TestCase):
    """Backends, httpd without requiring mod_zdu, temp dirs; everything stopped on teardown."""

    def make_tmpdir(self):
        path = tempfile.mkdtemp(prefix=f"zdu-{self._testMethodName}-")
        self.addCleanup(self._remove_tmpdir, path)
        # Cleanups run last in, first out: this one after every httpd started here has stopped
        # (so nothing writes a report any more), before the dir goes.
        self.addCleanup(self._fail_on_sanitizer_reports, path)
        return path

    def _fail_on_sanitizer_reports(self, path):
        """Sanitizer build: an ASan/UBSan report of any httpd that ran in path fails the test."""
        found = sanitizer.reports(path)
        if found:
            self.fail(f"sanitizer reports from httpd:\n{sanitizer.describe(found)}")

    def _remove_tmpdir(self, path):
        if os.environ.get(KEEP_ENV):
            print(f"\n[{self.id()}] kept {path}", file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)

    def start_backend(self, instance, version="1.0", **opts):
        backend = Backend(instance, version, **opts)
        self.addCleanup(backend.close)
        return backend

    def start_backends(self, versions, prefix="i", **opts):
        """One backend per version, named <prefix>1, <prefix>2, ..."""
        return [self.start_backend(f"{prefix}{n}", v, **opts)
                for n, v in enumerate(versions, start=1)]

    def start_httpd(self, xml=None, **httpd_opts):
        """Starts httpd in a new temp dir; on a failing test its error log goes to stderr."""
        httpd = Httpd(self.make_tmpdir(), xml, **httpd_opts)
        self.addCleanup(self._report_logs, httpd)
        self.addCleanup(httpd.stop)
        return httpd.start()

    def _report_logs(self, httpd):
        if self._has_failed() and httpd.error_log():
            print(f"\n[{self.id()}] {httpd!r} error.log:\n{httpd.error_log()[-20000:]}",
                  file=sys.stderr)

    def _has_failed(self):
        """Whether this test has failed so far. Cleanups run after the test's outcome is in the
        result; _outcome is private to unittest but has held the result since Python 3.4."""
        result = getattr(getattr(self, "_outcome", None), "result", None)
        recorded = getattr(result, "errors", []) + getattr(result, "failures", [])
        return any(test is self or getattr(test, "test_case", None) is self
                   for test, _ in recorded)

    def client(self, target, **client_opts):
        """A Client for an Httpd, a Backend or a base URL, closed on teardown."""
        url = target if isinstance(target, str) else target.base_url
        client = Client(url, **client_opts)
        self.addCleanup(client.close)
        return client


class ZduTestCase(HarnessTestCase):
    """For tests of mod_zdu: skipped when the module is not built, unless ZDU_REQUIRE_MODULE."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not paths.module_path().exists() and not os.environ.get(REQUIRE_ENV):
            raise unittest.SkipTest(f"{paths.module_path()} not built")

    def start_cluster(self, versions=("1.0", "1.0"), context_root="/app", cluster="c1",
                      properties=None, backend_opts=None, instance_attrs=None,
                      cluster_attrs=None, web_module=None, **httpd_opts):
        """Backends i1..iN (one per version), a one-cluster loadbalancer.xml over them and
        httpd with mod_zdu. instance_attrs: extra xml attributes for every instance, or a
        list with one dict per instance. Returns (httpd, backends)."""
        backends = self.start_backends(versions, **(backend_opts or {}))
        description = cluster_of(backends, cluster, context_root, instance_attrs,
                                 cluster_attrs, web_module)
        httpd = self.start_httpd(loadbalancer_xml([description], properties), **httpd_opts)
        return httpd, backends

    def assertServedBy(self, response, instance, msg=None):
        self.assertEqual(response.status, 200, msg or response.text)
        self.assertEqual(response.json()["instance"], instance, msg)

    def new_session_homes(self, client, path, count):
        """The instances `count` new sessions on `path` went to: each a new browser (cookies
        cleared) on client's connection."""
        homes = []
        for _ in range(count):
            client.jar.clear()
            response = client.get(path)
            self.assertEqual(response.status, 200, response.text)
            homes.append(response.json()["instance"])
        return homes

    def served_by(self, response):
        """The backend instance that answered, from the backend's own header."""
        return response.header("X-Backend-Instance")


def cluster_of(backends, name="c1", context_root="/app", instance_attrs=None,
               cluster_attrs=None, web_module=None):
    """A cluster description for harness.xml with one instance per backend, named and
    versioned as the backend ({"version": None} in instance_attrs leaves the version out, for
    a plain GlassFish file)."""
    if isinstance(instance_attrs, list):
        per_instance = instance_attrs
    else:
        per_instance = [instance_attrs or {}] * len(backends)
    instances = [dict({"name": b.instance, "listeners": b.listener, "version": b.version},
                      **extra) for b, extra in zip(backends, per_instance)]
    module = dict({"context_root": context_root}, **(web_module or {}))
    return dict({"name": name, "instances": instances, "web_modules": [module]},
                **(cluster_attrs or {}))
