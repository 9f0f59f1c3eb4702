"""The request path against what httpd hands over (real httpd, real backends): session
deadlines for a request whose headers arrive slowly."""
import json
import re
import socket
import time
import unittest

from harness import ZduTestCase

ROUTES = [{"route": "r1"}, {"route": "r2"}]


def raw_request(httpd, lines, pause_after_first=0.0):
    """Sends a GET with exactly these header lines (names as written, repeats kept) and
    returns (status, headers, body). pause_after_first: seconds between the request line and
    the rest, as a slow client sends it."""
    first, rest = lines[0], lines[1:]
    with socket.create_connection(("127.0.0.1", httpd.port), timeout=30) as s:
        s.sendall((first + "\r\n").encode("latin-1"))
        if pause_after_first:
            time.sleep(pause_after_first)
        head = "".join(f"{line}\r\n" for line in rest + ["Connection: close"]) + "\r\n"
        s.sendall(head.encode("latin-1"))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(h.split(": ", 1)) for h in header_lines]
    return int(status_line.split()[1]), headers, body


def backend_saw(body):
    """(the backend's echo, the request headers it saw by lower-case name)."""
    echo = json.loads(body)
    return echo, {k.lower(): v for k, v in echo["headers"].items()}


class SlowRequestHeaders(ZduTestCase):
    """A session's deadline runs from when its request is routed. A client that sends the
    request line and then its headers seconds later has not used the session in between."""
    MINUTE = 2  # zdu-minute-in-seconds: a session idles out after 3 "minutes", 6 s

    def start(self):
        # No sweep during the test: the request path alone tells a live session from an
        # idled-out one.
        props = {"zdu-minute-in-seconds": self.MINUTE, "zdu-session-timeout-in-minutes": 3,
                 "session-sweep-interval-in-seconds": 600}
        return self.start_cluster(properties=props, instance_attrs=ROUTES)

    def routed_kinds(self, httpd):
        return re.findall(r"cluster c1: (\w+) request to instance", httpd.error_log())

    def login(self, httpd):
        status, headers, body = raw_request(
            httpd, ["GET /app/login HTTP/1.1", f"Host: 127.0.0.1:{httpd.port}"])
        self.assertEqual(status, 200, body)
        cookies = [v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"]
        return backend_saw(body)[0]["instance"], "; ".join(cookies)

    def test_a_session_used_by_a_slow_request_stays_live(self):
        httpd, _ = self.start()
        home, cookie = self.login(httpd)
        host = f"Host: 127.0.0.1:{httpd.port}"
        # Headers 4 s after the request line: the session is 4 s idle of its 6 when routed.
        status, _, body = raw_request(httpd, ["GET /app/slow-headers HTTP/1.1", host,
                                              f"Cookie: {cookie}"], pause_after_first=4.0)
        self.assertEqual(status, 200, body)
        self.assertEqual(backend_saw(body)[0]["instance"], home)
        used = time.monotonic()
        # 3.2 s after its last use, well inside its 6 s; more than 6 s after the slow request's
        # first line (deadlines are whole seconds: 7 s after the login, to be sure).
        time.sleep(3.2)
        status, _, body = raw_request(httpd, ["GET /app/next HTTP/1.1", host,
                                              f"Cookie: {cookie}"])
        self.assertLess(time.monotonic() - used, 5.5, "the machine was too slow to tell")
        self.assertEqual(status, 200, body)
        self.assertEqual(self.routed_kinds(httpd), ["new", "sticky", "sticky"],
                         "the session ended although its last request was 3.2 s ago")
        self.assertEqual(backend_saw(body)[0]["instance"], home)

    def test_a_session_idle_past_its_deadline_when_the_request_arrives_has_ended(self):
        httpd, _ = self.start()
        _, cookie = self.login(httpd)
        host = f"Host: 127.0.0.1:{httpd.port}"
        time.sleep(1.0)
        # The request line comes 1 s after the login, the request itself 8.5 s after: the
        # session idled out (6 s) before any request of it reached httpd whole.
        status, _, body = raw_request(httpd, ["GET /app/late HTTP/1.1", host,
                                              f"Cookie: {cookie}"], pause_after_first=7.5)
        self.assertEqual(status, 200, body)
        self.assertEqual(self.routed_kinds(httpd), ["new", "new"],
                         "an idled-out session is not sticky any more")


if __name__ == "__main__":
    unittest.main()
