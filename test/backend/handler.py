"""The backend's request handler: a JSON echo of each request, with behaviours chosen by the
last path segment (/login, /logout, /logout-silent, /logout-header, /relogin, /events, /slow,
/error, /redirect, /cookiedomain, /health). GET /__hang makes the
instance hang: every later request is read and counted but not answered until GET /__hang/off
(what a backend stuck in a deadlock or a full thread pool looks like to the proxy). With
--fail-every N every Nth counted request other than a health ping is answered 500 (an app
failing a share of its requests)."""
import json
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

import bodies
import sessions

STATS_PATH = "/__stats"
HANG_PATH = "/__hang"
HANG_LIMIT_SECONDS = 120  # a hung request is answered at last, so no thread waits forever


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "zdu-test-backend"
    # Headers and body leave in one buffered write, so Nagle's algorithm and delayed ACKs never
    # stall a keep-alive client between the two.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        self.connection_id = self.server.counters.next_connection_id()
        self.counted_connection = False

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):
        pass  # a log line per request would cost more than the request itself

    def dispatch(self):
        body = bodies.read_body(self.headers, self.rfile)
        path = urlsplit(self.path).path.split(";", 1)[0]
        if path.startswith(STATS_PATH):
            return self._stats(path)
        if path.startswith(HANG_PATH):
            return self._hang_control(path)
        number, ping = self._count()
        self.server.answering.wait(HANG_LIMIT_SECONDS)
        every = self.server.opts.fail_every
        if every and not ping and number % every == 0:
            return self._answer(500, [], self._echo(body, {"failed": True}))
        if path.rsplit("/", 1)[-1] == "events":
            return self._stream_events()
        status, extra_headers, fields = self._behaviour(path)
        self._answer(status, extra_headers, self._echo(body, fields))

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = dispatch

    def _count(self):
        """(the request's number, whether it is a health ping)"""
        ping = self.headers.get("Proxy-ping", "").lower() == "true"
        number = self.server.counters.count_request(not self.counted_connection, ping)
        self.counted_connection = True
        return number, ping

    def _stats(self, path):
        stats = self.server.counters.snapshot(reset=path.endswith("/reset"))
        stats.update(instance=self.server.opts.instance, version=self.server.opts.version)
        self._answer(200, [], stats)

    def _hang_control(self, path):
        hang = not path.endswith("/off")
        (self.server.answering.clear if hang else self.server.answering.set)()
        self._answer(200, [], {"hanging": hang})

    def _behaviour(self, path):
        """(status, extra headers, extra JSON fields) for the path's last segment."""
        last = path.rsplit("/", 1)[-1].replace("-", "_")
        handler = getattr(self, "_on_" + last, None) if last.isidentifier() else None
        return handler(path) if handler else (200, [], {})

    def _on_login(self, path):
        opts = self.server.opts
        value = sessions.new_session_value(opts.route_style, opts.route)
        headers = [("Set-Cookie", f"{opts.session_cookie}={value}; Path=/")]
        if opts.set_jroute:
            headers.append(("Set-Cookie", f"JROUTE={opts.route}; Path=/"))
        if opts.replica:
            headers.append(("Set-Cookie", f"JREPLICA={opts.replica}; Path=/"))
        return 200, headers, {"session": value}

    def _on_logout(self, path):
        cookie = f"{self.server.opts.session_cookie}=; Max-Age=0; Path=/"
        return 200, [("Set-Cookie", cookie)], {}

    # The ways a session ends that leave the cookie in the browser: only the proxy's
    # logout-url-pattern, the end header or the new id can tell the session is over.
    END_HEADER = "X-Zdu-Session-End"

    def _on_logout_silent(self, path):
        """As Tomcat's session.invalidate(): the session is over, no cookie is set."""
        return 200, [], {"ended": self._carried()}

    def _on_logout_header(self, path):
        """The app says the session ended with the documented header, and sets no cookie."""
        return 200, [(self.END_HEADER, "1")], {"ended": self._carried()}

    def _on_relogin(self, path):
        """A new session id for a browser that still sends its old one, the old cookie not
        expired: what a servlet login after invalidate() looks like on the wire."""
        opts = self.server.opts
        value = sessions.new_session_value(opts.route_style, opts.route)
        headers = [("Set-Cookie", f"{opts.session_cookie}={value}; Path=/")]
        return 200, headers, {"session": value, "replaced": self._carried()}

    def _on_refresh(self, path):
        """Sends the carried session id again (a sliding cookie lifetime): no new session."""
        value = self._carried()
        cookie = f"{self.server.opts.session_cookie}={value}; Max-Age=1800; Path=/"
        return 200, [("Set-Cookie", cookie)] if value else [], {"session": value}

    def _stream_events(self):
        """Server-sent events for ?ms= milliseconds (default 2000), one every 100 ms, chunked:
        a long-lived request as a drain must wait for."""
        end = time.monotonic() + self._query_int("ms", 2000) / 1000.0
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("X-Backend-Instance", self.server.opts.instance)
        self.end_headers()
        n = 0
        while True:
            event = f"data: {self.server.opts.instance} {n}\n\n".encode()
            self.wfile.write(f"{len(event):x}\r\n".encode() + event + b"\r\n")
            self.wfile.flush()  # each event leaves now, not when the buffer fills
            n += 1
            if time.monotonic() >= end:
                break
            time.sleep(0.1)
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _carried(self):
        return sessions.carried_session(self.headers.get_all("Cookie", []), self.path,
                                        self.server.opts.session_cookie)

    def _on_slow(self, path):
        time.sleep(self._query_int("ms", 2000) / 1000.0)
        return 200, [], {}

    def _on_error(self, path):
        return self._query_int("status", 500), [], {}

    def _on_redirect(self, path):
        prefix = path[: -len("/redirect")]
        host, port = self.server.server_address[:2]
        # As app servers do, the default port is left out.
        netloc = host if port == 80 else f"{host}:{port}"
        return 302, [("Location", f"http://{netloc}{prefix}/landed")], {}

    def _on_cookiedomain(self, path):
        """A cookie scoped to this server's host (or ?domain=), as an app server behind a
        proxy may set when it does not know the front-end's name."""
        values = parse_qs(urlsplit(self.path).query).get("domain")
        domain = values[0] if values else self.server.server_address[0]
        return 200, [("Set-Cookie", f"pref=1; Domain={domain}; Path=/")], {}

    def _on_health(self, path):
        return self.server.opts.health_status, [], {}

    def _query_int(self, name, default):
        values = parse_qs(urlsplit(self.path).query).get(name)
        return int(values[0]) if values else default

    def _echo(self, body, fields):
        opts = self.server.opts
        echo = {
            "instance": opts.instance,
            "version": opts.version,
            "method": self.command,
            "path": self.path,
            "headers": self._header_dict(),
            "session": sessions.carried_session(
                self.headers.get_all("Cookie", []), self.path, opts.session_cookie),
            "connection": self.connection_id,
            "body_length": len(body),
            "tls": hasattr(self.connection, "cipher"),
        }
        echo.update(fields)
        return echo

    def _header_dict(self):
        # Repeated headers are folded as an HTTP/1.1 recipient may fold them.
        merged = {}
        for name, value in self.headers.items():
            merged[name] = f"{merged[name]}, {value}" if name in merged else value
        return merged

    def _answer(self, status, extra_headers, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Backend-Instance", self.server.opts.instance)
        for name, value in extra_headers:
            self.send_header(name, value)
        if status in (204, 304):
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
