"""Forged version pins (ZDU_PIN, real httpd, raw requests). Two clusters run a 1 % canary of
2.0, so a new session reaches 2.0 only through a pin its own cluster signed: a pin of the other
cluster, of another key, expired, from the future, tampered with, malformed, huge or repeated
starts an ordinary 1.0 session, is logged (ZDU0145), is never echoed back, gets no 5xx, and no
child crashes. A pin signed here for this cluster takes the canary: the control."""
import base64
import hashlib
import hmac
import time
import unittest

from harness import cluster_of, loadbalancer_xml
from hostile_common import HostileTestCase, echo_of, get_bytes, raw_request

KEY = "hostile-pin-key-0123456789"
CANARY = {"active_version": "1.0", "canary_version": "2.0", "canary_percent": 1}
V1, CANARY_HOME = frozenset({"a1", "a2"}), "b1"


def sign_pin(cluster, version, issued, key=KEY):
    """A pin as core/sessions/version_pin.cpp signs it: HMAC-SHA256, base64url, no padding."""
    message = f"zdu-pin-1\n{len(cluster)}:{cluster}\n{version}\n{issued}".encode()
    mac = hmac.new(key.encode(), message, hashlib.sha256).digest()
    return f"{version}.{issued}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}".encode()


class ForgedPins(HostileTestCase):
    def start(self):
        app = [self.start_backend("a1", "1.0"), self.start_backend("a2", "1.0"),
               self.start_backend("b1", "2.0")]
        other = [self.start_backend("o1", "1.0"), self.start_backend("p1", "2.0")]
        clusters = [cluster_of(app, "c1", "/app", cluster_attrs=CANARY),
                    cluster_of(other, "c2", "/other", cluster_attrs=CANARY)]
        httpd = self.start_httpd(loadbalancer_xml(clusters),
                                 extra_conf=f"ZduVersionPinKey {KEY}\n")
        return httpd, set(httpd.child_pids())

    def login(self, httpd, context_root, cookie):
        status, headers, body = raw_request(
            httpd.port, get_bytes(context_root + "/login", [b"Cookie: " + cookie]))
        self.assertEqual(status, 200, body[:300])
        pins = [v for k, v in headers if k.lower() == "set-cookie" and v.startswith("ZDU_PIN=")]
        return echo_of(body)["instance"], pins

    def test_only_a_pin_this_cluster_signed_takes_the_canary(self):
        httpd, pids = self.start()
        now = int(time.time())
        valid = sign_pin("c1", "2.0", now)
        sig = valid.rsplit(b".", 1)[1]
        refused = [
            sign_pin("c2", "2.0", now),  # the other cluster's
            sign_pin("c1", "2.0", now, key="another-key-0123456789"),
            sign_pin("c1", "2.0", now + 3600), sign_pin("c1", "2.0", now - 31 * 24 * 3600),
            f"9.9.{now}.".encode() + sig, valid[:-1] + (b"A" if valid[-1:] != b"A" else b"B"),
            b"2.0.0" + str(now).encode() + b"." + sig,  # a leading zero: another text signed
            b".", b"..", b"2.0", b"2.0..", b"../2.0.1." + sig, b"2.0.%31." + sig,
            b"2.0." + b"9" * 40 + b"." + sig, b"x" * 8000, b"2\xc3\xa9.0." + sig,
            b"x; ZDU_PIN=" + valid,  # the first pin counts
            b"x, ZDU_PIN=" + valid,  # a comma separates cookies too
        ]
        for pin in refused:
            with self.subTest(pin=pin[:60]):
                instance, pins = self.login(httpd, "/app", b"ZDU_PIN=" + pin)
                self.assertIn(instance, V1)
                self.assertEqual(pins, [], "an ordinary session gets no pin")
        # Genuine, but for a version c1 does not have: ignored without a word.
        self.assertIn(self.login(httpd, "/app", b"ZDU_PIN=" + sign_pin("c1", "3.0", now))[0], V1)
        for pin in (valid, valid + b"; ZDU_PIN=forged", valid + b", ZDU_PIN=forged"):
            with self.subTest(pin=pin[:60]):
                instance, pins = self.login(httpd, "/app", b"ZDU_PIN=" + pin)
                self.assertEqual(instance, CANARY_HOME)
                self.assertEqual(pins, [], "the browser's pin already names the canary")
        # c1's pin at c2: signed for another cluster.
        instance, _ = self.login(httpd, "/other", b"ZDU_PIN=" + valid)
        self.assertEqual(instance, "o1")
        self.assertEqual(httpd.error_log().count("ZDU0145"), len(refused) + 1)
        instance, pins = self.login(httpd, "/app", b"ZDU_PIN=")
        self.assertEqual((instance in V1, pins), (True, []), "an empty pin is no pin")
        self.assertEqual(httpd.error_log().count("ZDU0145"), len(refused) + 1, "nor logged")
        self.assertNoChildCrashed(httpd, pids)


if __name__ == "__main__":
    unittest.main()
