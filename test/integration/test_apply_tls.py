"""apply-http-lb-changes to front-ends whose manager URL is https (mod_ssl, certificates of a
test CA): with --cacert naming that CA the push is applied and the front-end runs it; a CA that
did not sign the certificate, no --cacert, or a certificate for another name fails TLS
verification, is reported unreachable with curl's reason, commits nothing on any front-end and
sends the secret to nobody behind that certificate. Also: a timeout below a millisecond still
is a timeout, not "wait forever"."""
import os
import pwd
import re
import socket
import subprocess
import sys
import time
import unittest
from pathlib import Path

from harness import HarnessTestCase, ZduTestCase, paths
from harness.certs import CertificateAuthority
from harness.description import PUSH_CONF, description_xml, lbxml_gen
from harness.httpd_conf import UNPRIVILEGED_USER
from harness.manager import SECRET, Manager
from harness.ports import free_port
from harness.testcase import cluster_of
from harness.xml import loadbalancer_xml
from test_tls import SSL_MODULES

FRESH = 24  # fresh connections: enough to reach each of the 3 children of a front-end
PUSH_REQUEST = re.compile(r'"(?:GET|POST) /zdu-manager\?cmd=')
TLS_FAILURE = re.compile(r"SSL|certificate", re.I)


def tls_manager_vhost(port, cert, key, log):
    """An https listener beside the harness's plain one; the server-wide zdu-manager Location
    and push settings apply to it too. Its own access log shows what arrived over TLS."""
    return f"""
Listen 127.0.0.1:{port}
<VirtualHost 127.0.0.1:{port}>
    SSLEngine on
    SSLCertificateFile {cert}
    SSLCertificateKeyFile {key}
    CustomLog "{log}" harness
</VirtualHost>
"""


def write_description(path, urls, secret_file):
    servers = '      <server name="i1" listeners="http://127.0.0.1:1" version="1.0"/>'
    refs = '        <server-ref ref="i1" lb-enabled="true"/>\n'
    path.write_text(description_xml(servers, urls, secret_file, server_refs=refs))


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class ApplyOverTls(ZduTestCase):
    def setUp(self):
        self.dir = Path(self.make_tmpdir())
        self.ca = CertificateAuthority(self.dir, "test-ca")
        self.other_ca = CertificateAuthority(self.dir, "other-ca")
        self.backends = self.start_backends(["1.0"] * 2)
        self.secret_file = self.dir / "secret"
        self.secret_file.write_text(SECRET + "\n")
        self.description = self.dir / "cluster.xml"

    def start_front_end(self, cert=None):
        """A push-enabled front-end; with cert (cert, key) its manager is also served over
        https. Returns (httpd, manager URL the description names, TLS access log or None)."""
        start_xml = loadbalancer_xml([cluster_of(self.backends)],
                                     {"reload-poll-interval-in-seconds": 0})
        conf, log, port = PUSH_CONF, None, None
        if cert:
            port = free_port()
            log = Path(self.make_tmpdir()) / "tls_access.log"
            conf += tls_manager_vhost(port, *cert, log)
        httpd = self.start_httpd(start_xml, extra_conf=conf, extra_modules=SSL_MODULES)
        if os.geteuid() == 0:
            # The children (unprivileged) write the pushed file and its .bak beside it.
            pw = pwd.getpwnam(UNPRIVILEGED_USER)
            os.chown(httpd.root, pw.pw_uid, pw.pw_gid)
        url = f"https://127.0.0.1:{port}/zdu-manager" if cert else httpd.url("/zdu-manager")
        return httpd, url, log

    def apply(self, urls, *options):
        write_description(self.description, urls, self.secret_file)
        return lbxml_gen("apply-http-lb-changes", *options, "--description", self.description,
                         "lb1")

    def hashes(self, httpd):
        """The config_hash every child of httpd runs (fresh connections reach all children)."""
        manager = Manager(httpd)
        return {manager.status()["config_hash"] for _ in range(FRESH)}

    def state(self, httpd):
        return self.hashes(httpd), httpd.xml_path.read_bytes()

    def assertNoPushArrived(self, log):
        text = log.read_text() if log.exists() else ""
        self.assertIsNone(PUSH_REQUEST.search(text), f"a manager request arrived:\n{text}")

    def assertTlsRefused(self, result, url):
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(f"{url}: unreachable at validate\n", result.stderr)
        reason = result.stderr.split(f"{url}: unreachable at validate\n", 1)[1].splitlines()[0]
        self.assertRegex(reason, TLS_FAILURE)
        self.assertIn("nothing committed on any front-end", result.stderr)

    def test_applied_with_the_ca_that_signed_the_certificate(self):
        httpd, url, log = self.start_front_end(self.ca.server_cert("fe", ["IP:127.0.0.1"]))
        before = self.state(httpd)
        result = self.apply([url], "--cacert", self.ca.cert)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        applied = re.findall(r"^(\S+): applied \(generation \d+, hash ([0-9a-f]{16})",
                             result.stdout, re.M)
        self.assertEqual([u for u, _ in applied], [url], result.stdout)
        self.assertEqual(self.hashes(httpd), {applied[0][1]})
        self.assertNotEqual(self.state(httpd), before)
        # The push came over the https listener (the plain one has its own log).
        self.assertRegex(log.read_text(), r'"POST /zdu-manager\?cmd=push-validate')
        self.assertRegex(log.read_text(), r'"POST /zdu-manager\?cmd=push-commit')

    def test_another_ca_fails_verification_and_the_http_front_end_does_not_commit(self):
        plain, plain_url, _ = self.start_front_end()
        tls, tls_url, log = self.start_front_end(self.ca.server_cert("fe", ["IP:127.0.0.1"]))
        before = [self.state(plain), self.state(tls)]
        result = self.apply([plain_url, tls_url], "--cacert", self.other_ca.cert)
        self.assertTlsRefused(result, tls_url)
        self.assertIn(f"{plain_url}: not pushed at validate", result.stderr)
        self.assertEqual([self.state(plain), self.state(tls)], before)
        self.assertNotRegex(plain.access_log(), r"cmd=push-commit")
        self.assertNoPushArrived(log)

    def test_without_cacert_the_test_ca_is_not_trusted(self):
        tls, tls_url, log = self.start_front_end(self.ca.server_cert("fe", ["IP:127.0.0.1"]))
        before = self.state(tls)
        result = self.apply([tls_url])
        self.assertTlsRefused(result, tls_url)
        self.assertEqual(self.state(tls), before)
        self.assertNoPushArrived(log)

    def test_a_certificate_for_another_name_is_refused(self):
        cert = self.ca.server_cert("elsewhere", ["DNS:elsewhere.example", "IP:127.0.0.2"])
        tls, tls_url, log = self.start_front_end(cert)
        before = self.state(tls)
        result = self.apply([tls_url], "--cacert", self.ca.cert)
        self.assertTlsRefused(result, tls_url)
        self.assertEqual(self.state(tls), before)
        self.assertNoPushArrived(log)


HANG_BOUND = 15  # seconds: far above a timed-out push, far below "no timeout at all"


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class ApplyTimeout(HarnessTestCase):
    def setUp(self):
        self.dir = Path(self.make_tmpdir())
        (self.dir / "secret").write_text(SECRET + "\n")
        # Listens but never accepts: the kernel completes the TCP handshake and takes the
        # request, and no answer ever comes.
        self.silent = socket.socket()
        self.addCleanup(self.silent.close)
        self.silent.bind(("127.0.0.1", 0))
        self.silent.listen(8)
        self.url = f"http://127.0.0.1:{self.silent.getsockname()[1]}/zdu-manager"
        self.description = self.dir / "cluster.xml"
        write_description(self.description, [self.url], self.dir / "secret")

    def apply(self, timeout):
        return lbxml_gen("apply-http-lb-changes", "--timeout", timeout, "--description",
                         self.description, "lb1", timeout=HANG_BOUND)

    def test_a_timeout_below_a_millisecond_still_times_out(self):
        started = time.monotonic()
        try:
            result = self.apply("0.0001")
        except subprocess.TimeoutExpired:
            self.fail(f"--timeout 0.0001 waited more than {HANG_BOUND}s: taken as no timeout")
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(f"{self.url}: unreachable at validate", result.stderr)
        self.assertRegex(result.stderr, r"(?i)timeout|timed out")

    def test_a_one_second_timeout_waits_about_a_second(self):
        started = time.monotonic()
        result = self.apply("1")
        elapsed = time.monotonic() - started
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertRegex(result.stderr, r"(?i)timeout|timed out")
        self.assertGreater(elapsed, 0.9)
        self.assertLess(elapsed, 5)

    def test_a_zero_negative_or_unbounded_timeout_is_refused_by_the_command_line(self):
        # nan and huge values would make the milliseconds cast undefined.
        for value in ("0", "-1", "-0.5", "nan", "inf", "1e300", "86401"):
            with self.subTest(value=value):
                result = self.apply(value)
                self.assertEqual(result.returncode, 2, result.stdout + result.stderr)
                self.assertIn("--timeout", result.stderr)


# A front-end gone wrong: every request gets a 200 with an endless body.
ENDLESS_SERVER = """
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        chunk = b"x" * 65536
        try:
            while True:
                self.wfile.write(chunk)
        except OSError:
            pass
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
"""


@unittest.skipUnless(paths.lbxml_gen().exists() or os.environ.get("ZDU_REQUIRE_MODULE"),
                     "lbxml-gen not built")
class ApplyEndlessAnswer(HarnessTestCase):
    def test_an_answer_past_16_mib_is_cut_off_and_reported(self):
        directory = Path(self.make_tmpdir())
        (directory / "secret").write_text(SECRET + "\n")
        server = subprocess.Popen([sys.executable, "-c", ENDLESS_SERVER], stdout=subprocess.PIPE,
                                  text=True)
        self.addCleanup(server.wait)
        self.addCleanup(server.kill)
        url = f"http://127.0.0.1:{server.stdout.readline().strip()}/zdu-manager"
        description = directory / "cluster.xml"
        write_description(description, [url], directory / "secret")
        result = lbxml_gen("apply-http-lb-changes", "--timeout", "30", "--description",
                           description, "lb1", timeout=HANG_BOUND)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(f"{url}: unreachable at validate", result.stderr)
        self.assertIn("larger than 16 MiB", result.stderr)


if __name__ == "__main__":
    unittest.main()
