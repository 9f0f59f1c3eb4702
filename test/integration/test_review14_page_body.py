"""The manager's page reads a request body only where it needs one (a sign-in's secret, a
signed-in action's form). A GET of the page or a sign-out, which anyone may send, must not make
httpd wait for, and read, a body an anonymous client announces: the answer comes at once and the
connection closes instead."""
import socket

from test_status_page import PageTestCase


class PageBodyTest(PageTestCase):
    def first_answer_line(self, method, target):
        with socket.create_connection(("127.0.0.1", self.httpd.port), timeout=3) as s:
            # A large body announced, none sent: reading it first would wait for the timeout.
            s.sendall((f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{self.httpd.port}\r\n"
                       f"Origin: {self.origin}\r\n"
                       "Content-Type: application/x-www-form-urlencoded\r\n"
                       "Content-Length: 100000000\r\n\r\n").encode())
            try:
                return s.recv(200).split(b"\r\n", 1)[0].decode()
            except socket.timeout:
                return "no answer within 3 s"

    def test_an_anonymous_body_is_not_read(self):
        self.start_page()
        for method, target in (("GET", "/zdu-manager"), ("POST", "/zdu-manager?sign-out"),
                               ("POST", "/zdu-manager?sign-in")):
            with self.subTest(method=method, target=target):
                line = self.first_answer_line(method, target)
                self.assertTrue(line.startswith("HTTP/1.1 "), line)
