"""The manager reads a request body only for whoever holds the secret. A push whose query does
not parse (push-commit without its hash) or any other manager command must not make httpd wait
for, and read, a body an unauthenticated client announces: the refusal comes at once."""
import socket

from harness import ZduTestCase

import test_config_push as push


class SecretBeforeBodyTest(ZduTestCase):
    xml = push.ConfigPushTest.xml
    started = push.ConfigPushTest.started
    writable_root = push.ConfigPushTest.writable_root

    def first_answer_line(self, httpd, query):
        with socket.create_connection(("127.0.0.1", httpd.port), timeout=3) as s:
            # A large body announced, none sent: reading it first would wait for the timeout.
            s.sendall((f"POST /zdu-manager?{query} HTTP/1.1\r\nHost: x\r\n"
                       "X-Zdu-Secret: wrong\r\nContent-Type: application/xml\r\n"
                       "Content-Length: 100000000\r\n\r\n").encode())
            try:
                return s.recv(200).split(b"\r\n", 1)[0].decode()
            except socket.timeout:
                return "no answer within 3 s"

    def test_a_wrong_secret_is_refused_before_the_body_is_read(self):
        httpd = self.started(self.start_backends(["1.0"]))
        for query in ("cmd=push-commit", "cmd=push-validate", "cmd=reload",
                      "cmd=disable-instance&instance=i1"):
            with self.subTest(query=query):
                self.assertEqual(self.first_answer_line(httpd, query), "HTTP/1.1 403 Forbidden")
