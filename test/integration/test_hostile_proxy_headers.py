"""Client-sent copies of mod_zdu's own headers (Proxy-jroute, Proxy-ip, Proxy-keysize,
Proxy-auth-cert, Proxy-ping, X-Forwarded-Proto) never reach a backend, however they are spelled:
odd case, repeated, without or with extra white space around the value, empty, huge, folded
into another header; a name with white space in it is refused by httpd before any backend is
asked (real httpd, raw requests; test_backend_headers.py has the plain spellings)."""
import json
import unittest

from hostile_common import C1_ROUTES, HostileTestCase, echo_of, get_bytes, raw_request

FORGED = ("6.6.6.6", "forged", "4096", "https")
OWN = ("Proxy-jroute", "Proxy-ip", "Proxy-keysize", "Proxy-auth-cert", "Proxy-ping",
       "X-Forwarded-Proto")
ODD_CASE = [b"pRoXy-JrOuTe: forged00", b"PROXY-IP: 6.6.6.6", b"proxy-keysize: 4096",
            b"Proxy-Auth-Cert: forged", b"proxy-PING: true", b"x-FORWARDED-proto: https"]
REPEATED = [line for name in OWN for line in (
    f"{name}: forged1".encode(), f"{name.lower()}: 6.6.6.6".encode(),
    f"{name.upper()}: https".encode())]
SPACING = [b"Proxy-ip:6.6.6.6", b"Proxy-jroute:\t forged00 \t", b"X-Forwarded-Proto:   https  ",
           b"Proxy-keysize:4096", b"Proxy-ping:\ttrue"]
EMPTY = [f"{name}:".encode() for name in OWN]
HUGE = [b"Proxy-auth-cert: forged" + b"A" * 8000, b"Proxy-ip: " + b"6.6.6.6," * 900]
LISTS = [b"Proxy-ip: 127.0.0.1, 6.6.6.6", b"X-Forwarded-Proto: http, https"]
# A line starting with white space continues the one before: it is part of X-Folded's value.
FOLDED = [b"X-Folded: 1", b" Proxy-ip: 6.6.6.6", b"X-Folded2: 1", b"\tProxy-jroute: forged00"]
REFUSED = [[b"Proxy-ip : 6.6.6.6"], [b" Proxy-ip: 6.6.6.6"], [b"\tProxy-jroute: forged00"],
           [b"Proxy-ip\t: 6.6.6.6"], [b"Proxy-ip\x00: 6.6.6.6"], [b":Proxy-ip: 6.6.6.6"],
           [b"Proxy-\xc3\xadp: 6.6.6.6"]]


class ForgedOwnHeaders(HostileTestCase):
    def seen(self, httpd, lines):
        status, _, body = raw_request(httpd.port, get_bytes("/app/x", lines))
        self.assertEqual(status, 200, body[:300])
        echo = echo_of(body)
        return echo["instance"], {k.lower(): v for k, v in echo["headers"].items()}

    def assertOursOnly(self, instance, seen, folded=False):
        self.assertEqual(seen.get("proxy-jroute"), C1_ROUTES[instance], seen)
        self.assertEqual(seen.get("proxy-ip"), "127.0.0.1", seen)
        self.assertEqual(seen.get("x-forwarded-proto"), "http", seen)
        for name in ("proxy-keysize", "proxy-auth-cert", "proxy-ping"):
            self.assertNotIn(name, seen, "not sent over plain HTTP, nor the client's copy")
        if not folded:
            text = json.dumps(seen)
            for value in FORGED:
                self.assertNotIn(value, text)

    def test_own_headers_in_any_spelling_never_reach_a_backend(self):
        # Every header of ours sent, so each forged copy has a real value to be told from.
        httpd, pids = self.start_two_clusters(extra_conf="ZduBackendHeaders all\n")
        before = {name: b.stats() for name, b in self.backends.items()}
        for lines in (ODD_CASE, REPEATED, SPACING, EMPTY, HUGE, LISTS, ODD_CASE + REPEATED):
            with self.subTest(lines=lines[:2]):
                self.assertOursOnly(*self.seen(httpd, lines))
        instance, seen = self.seen(httpd, FOLDED)
        self.assertOursOnly(instance, seen, folded=True)
        self.assertEqual(seen.get("x-folded"), "1 Proxy-ip: 6.6.6.6", "a value, not a header")
        served = {name: b.stats()["requests"] - before[name]["requests"]
                  for name, b in self.backends.items()}
        for lines in REFUSED:
            with self.subTest(lines=lines):
                status, _, _ = raw_request(httpd.port, get_bytes("/app/x", lines))
                self.assertEqual(status, 400)
        after = {name: b.stats() for name, b in self.backends.items()}
        self.assertEqual({name: after[name]["requests"] - before[name]["requests"]
                          for name in after}, served, "the refused requests reached no backend")
        self.assertEqual({name: s["pings"] for name, s in after.items()},
                         {name: s["pings"] for name, s in before.items()},
                         "a client's Proxy-ping is no health check")
        self.assertIn("ZDU0070: removed client header Proxy-ping", httpd.error_log())
        self.assertNoChildCrashed(httpd, pids)


if __name__ == "__main__":
    unittest.main()
