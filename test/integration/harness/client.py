"""An HTTP/1.1 keep-alive client on http.client, with a cookie jar like a browser's."""
import http.client
import json
from urllib.parse import urlsplit

from .cookies import CookieJar

TIMEOUT = 10.0
# What a server closing an idle keep-alive connection looks like to the next request on it.
STALE_CONNECTION_ERRORS = (http.client.RemoteDisconnected, ConnectionResetError,
                           BrokenPipeError, http.client.BadStatusLine)


class Response:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers  # [(name, value)], repeated headers kept, in order
        self.body = body

    def header(self, name, default=None):
        """The first header of that name (case-insensitive)."""
        values = self.header_all(name)
        return values[0] if values else default

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def set_cookies(self):
        return self.header_all("Set-Cookie")

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Response {self.status} {self.reason} {len(self.body)} bytes>"


class _CountingConnection(http.client.HTTPConnection):
    def __init__(self, host, port, timeout, on_connect):
        super().__init__(host, port, timeout=timeout)
        self._on_connect = on_connect

    def connect(self):
        super().connect()
        self._on_connect()


class Client:
    """Requests go over one kept-alive connection, reopened when the server has closed it.
    `connections` counts the TCP connections opened so far."""

    def __init__(self, base_url, timeout=TIMEOUT, jar=None):
        parts = urlsplit(base_url)
        self.base_url = base_url
        self.host = parts.hostname
        self.port = parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.timeout = timeout
        self.jar = CookieJar(jar or {})
        self.connections = 0
        self._conn = self._new_connection()

    def _new_connection(self):
        return _CountingConnection(self.host, self.port, self.timeout, self._count_connection)

    def _count_connection(self):
        self.connections += 1

    def fresh(self):
        """A new client for the same server with an empty cookie jar, as a new browser."""
        return Client(self.base_url, self.timeout)

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, body=b"", headers=None):
        return self.request("POST", path, body, headers)

    def request(self, method, path, body=None, headers=None):
        """Sends the jar's cookies unless headers carry their own Cookie; takes Set-Cookie
        into the jar."""
        headers = dict(headers or {})
        if isinstance(body, str):
            body = body.encode()
        if not any(k.lower() == "cookie" for k in headers) and self.jar:
            headers["Cookie"] = self.jar.header_value()
        response = self._exchange(method, self.prefix + path, body, headers)
        self.jar.update_from(response.set_cookies)
        return response

    def _exchange(self, method, target, body, headers):
        reused = self._conn.sock is not None
        try:
            return self._send(method, target, body, headers)
        except STALE_CONNECTION_ERRORS:
            if not reused:
                raise
        # Only a request on a reused connection is retried, as browsers do: the server may have
        # closed the idle connection just before the request arrived.
        return self._send(method, target, body, headers)

    def _send(self, method, target, body, headers):
        try:
            self._conn.request(method, target, body, headers)
            resp = self._conn.getresponse()
            body = resp.read()
        except BaseException:
            self._conn.close()  # half a request or response: the connection is unusable
            raise
        return Response(resp.status, resp.reason, resp.getheaders(), body)

    def close(self):
        if getattr(self, "_conn", None) is not None:  # None when __init__ failed
            self._conn.close()

    def __del__(self):
        # Throwaway clients (client.fresh().get(...)) close as soon as they are dropped, so
        # they neither pile up open connections on httpd nor leave ResourceWarnings.
        self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
