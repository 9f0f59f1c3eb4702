"""The manager refuses whoever does not present ZduManagerSecret exactly, as scripts do (the
X-Zdu-Secret header) or as the page does (the sign-in form): 403, the secret never in the
answer, each refusal logged (ZDU0030), nothing changed. Without a secret it is closed to
everyone; without its SetHandler there is no manager and no push at all (404); without
ZduConfigPush On no push is looked at (403, ZDU0150). test_manager.py, test_status_page.py and
test_config_push.py have the plain cases."""
import json
import unittest
from urllib.parse import urlencode

from harness.manager import HANDLER_CONF, MANAGER_CONF, SECRET
from hostile_common import HostileTestCase, raw_request, request_bytes

PUSH = "ZduConfigPush On\n"
XML_TYPE = b"Content-Type: application/xml"
# What a script might send instead of exactly "X-Zdu-Secret: <secret>".
WRONG_SECRETS = {
    "no header": [],
    "empty": [b"X-Zdu-Secret:"],
    "wrong": [b"X-Zdu-Secret: wrong"],
    "prefix": [b"X-Zdu-Secret: " + SECRET[:-1].encode()],
    "longer": [b"X-Zdu-Secret: " + SECRET.encode() + b"x"],
    "other case": [b"X-Zdu-Secret: " + SECRET.upper().encode()],
    "sent twice": [b"X-Zdu-Secret: " + SECRET.encode()] * 2,  # httpd joins them with ", "
    "wrong, then right": [b"X-Zdu-Secret: wrong", b"x-zdu-secret: " + SECRET.encode()],
    "huge": [b"X-Zdu-Secret: " + SECRET.encode() * 1000],
    "unicode": [b"X-Zdu-Secret: " + SECRET.encode() + b"\xc3\xa9"],
    "other header": [b"X-Zdu-Secret-2: " + SECRET.encode(), b"Authorization: " + SECRET.encode()],
    "underscore": [b"X_Zdu_Secret: " + SECRET.encode()],
    "as a cookie": [b"Cookie: X-Zdu-Secret=" + SECRET.encode()],
}
COMMANDS = [("GET", "/zdu-manager?cmd=status", None),
            ("POST", "/zdu-manager?cmd=stop-instance&instance=i1", None),
            ("POST", "/zdu-manager?cmd=reload", None),
            ("POST", "/zdu-manager?cmd=push-validate", b"<loadbalancer/>")]


class ManagerAccess(HostileTestCase):
    def ask(self, httpd, method, path, headers, body=None):
        if body is not None:
            headers = headers + [XML_TYPE]
        return raw_request(httpd.port, request_bytes(method, path, headers, body))

    def refusals(self, httpd):
        return httpd.error_log().count("ZDU0030")

    def assertRefused(self, httpd, method, path, headers, body=None, why=None):
        before = self.refusals(httpd)
        status, _, answer = self.ask(httpd, method, path, headers, body)
        self.assertEqual(status, 403, answer[:300])
        self.assertNotIn(SECRET.encode(), answer)
        if answer.startswith(b"{"):
            self.assertFalse(json.loads(answer)["ok"])
        self.assertEqual(self.refusals(httpd), before + 1, "each refusal is logged")
        if why:
            # The newest refusal line, not the log's last line: the parent's start-up notices
            # may land after a child's first answer.
            last = [line for line in httpd.error_log().splitlines() if "ZDU0030" in line][-1]
            self.assertIn(why, last)

    def status(self, httpd):
        status, _, answer = self.ask(httpd, "GET", "/zdu-manager?cmd=status",
                                     [b"X-Zdu-Secret: " + SECRET.encode()])
        self.assertEqual(status, 200, answer[:300])
        return json.loads(answer)

    def test_a_secret_not_presented_exactly_is_refused_and_logged(self):
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf=MANAGER_CONF + PUSH)
        before, xml = self.status(httpd), httpd.xml_path.read_text()
        for why, headers in WRONG_SECRETS.items():
            for method, path, body in COMMANDS:
                with self.subTest(why=why, command=path):
                    self.assertRefused(httpd, method, path, headers, body)
        for method, path, body in COMMANDS:  # the secret in the query instead
            with self.subTest(query=path):
                self.assertRefused(httpd, method, f"{path}&secret={SECRET}", [], body)
        for secret in ("", "wrong", SECRET[:-1], SECRET * 10):  # the page's sign-in form
            with self.subTest(form=secret[:20]):
                self.assertRefused(httpd, "POST", "/zdu-manager?sign-in",
                                   [b"Content-Type: application/x-www-form-urlencoded"],
                                   urlencode({"secret": secret}), why="wrong secret")
        self.assertRefused(httpd, "POST", "/zdu-manager?sign-in", [],
                           urlencode({"secret": SECRET}) + "&x=" + "y" * 9000,
                           why="too large")
        self.assertRefused(httpd, "POST", "/zdu-manager",
                           [b"Cookie: zdu_manager=99999999999." + b"0" * 64],
                           "cmd=stop-instance&instance=i1&token=" + "0" * 64,
                           why="not signed in")
        after = self.status(httpd)
        self.assertEqual(after["generation"], before["generation"])
        self.assertEqual(after["clusters"][0]["instances"][0]["admin_state"], "active")
        self.assertEqual(httpd.xml_path.read_text(), xml)
        self.assertIn(f"ZDU0030: manager request GET /zdu-manager from 127.0.0.1 refused: "
                      f"wrong X-Zdu-Secret", httpd.error_log())

    def test_closed_without_a_secret_and_absent_without_its_handler(self):
        secretless, _ = self.start_cluster(versions=("1.0",), extra_conf=HANDLER_CONF + PUSH)
        for secret in ([], [b"X-Zdu-Secret: " + SECRET.encode()], [b"X-Zdu-Secret:"]):
            for method, path, body in COMMANDS:
                with self.subTest(secret=secret, command=path):
                    self.assertRefused(secretless, method, path, secret, body,
                                       why="not configured")
        self.assertRefused(secretless, "GET", "/zdu-manager", [])  # the page
        self.assertRefused(secretless, "POST", "/zdu-manager?sign-in", [],
                           urlencode({"secret": SECRET}), why="no ZduManagerSecret")

        handlerless, _ = self.start_cluster(versions=("1.0",),
                                            extra_conf=f"ZduManagerSecret {SECRET}\n" + PUSH)
        xml = handlerless.xml_path.read_text()
        for method, path, body in COMMANDS + [("GET", "/zdu-manager", None)]:
            with self.subTest(handlerless=path):
                status, _, _ = self.ask(handlerless, method, path,
                                        [b"X-Zdu-Secret: " + SECRET.encode()], body)
                self.assertEqual(status, 404)
        self.assertEqual(handlerless.xml_path.read_text(), xml)
        for log_id in ("ZDU0030", "ZDU0031", "ZDU0150", "ZDU0151"):
            self.assertNotIn(log_id, handlerless.error_log(), "no manager ran")

    def test_push_is_closed_without_zdu_config_push_whatever_is_pushed(self):
        httpd, _ = self.start_cluster(versions=("1.0",), extra_conf=MANAGER_CONF)
        xml, secret = httpd.xml_path.read_text(), [b"X-Zdu-Secret: " + SECRET.encode()]
        bodies = (httpd.xml_path.read_bytes(), b"", b"<!DOCTYPE x [<!ENTITY a SYSTEM "
                  b"'/etc/passwd'>]><x>&a;</x>", b"\xff" * 100_000)
        for command in ("push-validate", "push-commit&hash=0123456789abcdef"):
            for body in bodies:
                with self.subTest(command=command, body=body[:20]):
                    before = httpd.error_log().count("ZDU0150")
                    status, _, answer = self.ask(httpd, "POST", f"/zdu-manager?cmd={command}",
                                                 secret, body)
                    self.assertEqual(status, 403, answer[:300])
                    self.assertIn(b"ZduConfigPush is Off", answer)
                    self.assertEqual(httpd.error_log().count("ZDU0150"), before + 1)
        self.assertEqual(httpd.xml_path.read_text(), xml)
        self.assertNotIn("root:x:", httpd.error_log())


if __name__ == "__main__":
    unittest.main()
