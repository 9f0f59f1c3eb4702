"""A test backend (test/backend/app.py) running as a real subprocess on a loopback port."""
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile

from . import paths, process
from .ports import free_port

READY_TIMEOUT = 10.0


class BackendError(RuntimeError):
    pass


class Backend:
    """One fake app-server instance.

    opts map to app.py's options: host, session_cookie, route_style, route, set_jroute,
    replica, health_status, fail_every. port=None picks a free one; restart() keeps it.
    """

    def __init__(self, instance, version="1.0", port=None, start=True, **opts):
        self.instance = instance
        self.version = version
        self.host = opts.get("host", "127.0.0.1")
        self.opts = opts
        self.port = port
        self.proc = None
        self._dir = tempfile.TemporaryDirectory(prefix=f"zdu-backend-{instance}-")
        if start:
            self.start()

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    base_url = url

    @property
    def listener(self):
        """The value for an <instance listeners="..."> attribute."""
        return self.url

    def start(self):
        """Starts the process; a port lost to a race is swapped for another unless it was fixed."""
        fixed = self.port is not None
        for _ in range(1 if fixed else 3):
            if not fixed:
                self.port = free_port(self.host)
            if self._try_start():
                return self
        raise BackendError(f"backend {self.instance} did not start on port {self.port}: "
                           f"{self._output()}")

    def _try_start(self):
        ready = os.path.join(self._dir.name, "ready")
        if os.path.exists(ready):
            os.unlink(ready)
        log = open(os.path.join(self._dir.name, "output.log"), "wb")
        with log:
            self.proc = subprocess.Popen(self._command(ready), stdout=log, stderr=log,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        up = process.wait_until(lambda: os.path.exists(ready) or self.proc.poll() is not None,
                                READY_TIMEOUT)
        if up and self.proc.poll() is None:
            return True
        process.stop_group(self.proc, signal.SIGKILL, 2.0)
        return False

    def _command(self, ready_file):
        cmd = [sys.executable, str(paths.BACKEND_APP), "--port", str(self.port),
               "--instance", self.instance, "--version", self.version,
               "--ready-file", ready_file]
        for key, value in self.opts.items():
            flag = "--" + key.replace("_", "-")
            if value is True:
                cmd.append(flag)
            elif value not in (None, False):
                cmd += [flag, str(value)]
        return cmd

    def _output(self):
        try:
            with open(os.path.join(self._dir.name, "output.log"), errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stats(self, reset=False):
        """{"connections", "requests", "pings", "instance", "version"}; reset=True zeroes the
        counters after reading them."""
        # http.client rather than urllib: an http_proxy in the environment must not apply.
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request("GET", "/__stats/reset" if reset else "/__stats")
            return json.loads(conn.getresponse().read())
        finally:
            conn.close()

    def reset_stats(self):
        self.stats(reset=True)

    def hang(self, hanging=True):
        """From now on the backend reads and counts every request but does not answer it
        (hanging=False: answers again, the held requests too)."""
        self._control("/__hang" if hanging else "/__hang/off")

    def _control(self, path):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request("GET", path)
            conn.getresponse().read()
        finally:
            conn.close()

    def stop(self):
        """SIGTERM, then SIGKILL after 5 s."""
        if self.proc is not None:
            process.stop_group(self.proc, signal.SIGTERM, 5.0)

    def kill9(self):
        """Dies at once, as a crashed instance: open connections are reset."""
        if self.proc is not None:
            process.stop_group(self.proc, signal.SIGKILL, 5.0)

    def restart(self):
        """Stops and starts again on the same port (counters start from zero)."""
        self.stop()
        return self.start()

    def close(self):
        self.stop()
        self._dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return f"Backend({self.instance!r}, {self.version!r}, port={self.port})"
