"""Thread-safe traffic counters of one backend, reported at GET /__stats."""
import threading


class Counters:
    """Counts connections, requests and pings.

    A connection is counted when it carries its first counted request, so a connection that only
    asks for /__stats (the harness polling) never shows up in the numbers a test asserts on.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._last_connection_id = 0
        self._reset_locked()

    def _reset_locked(self):
        self.connections = 0
        self.requests = 0
        self.pings = 0

    def next_connection_id(self):
        with self._lock:
            self._last_connection_id += 1
            return self._last_connection_id

    def count_request(self, first_on_connection, ping):
        """Counts one request; its number, from 1 (reset starts again)."""
        with self._lock:
            self.requests += 1
            if first_on_connection:
                self.connections += 1
            if ping:
                self.pings += 1
            return self.requests

    def snapshot(self, reset=False):
        """The counts; with reset, zeroed in the same step so no request goes unreported."""
        with self._lock:
            counts = {"connections": self.connections, "requests": self.requests,
                      "pings": self.pings}
            if reset:
                self._reset_locked()
            return counts
