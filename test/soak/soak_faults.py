"""Which error-log lines an injected fault explains. The soak kills backends with SIGKILL and
starts them again; mod_proxy then logs, at error level, the refused connects and the requests
that met them (each retried elsewhere) and, for a request in flight at the kill, the reset.
Each pattern names its message id; a line is explained only when it matches one, falls within
a fault's window (from the kill to the instance being usable again) and, where the line names
a listener, names the killed one. Everything else at error level or above is unexplained."""
import re
from dataclasses import dataclass

ADDR = r"(?P<addr>[0-9.]+:[0-9]+)"


@dataclass(frozen=True)
class Allowed:
    module: str
    pattern: re.Pattern
    why: str


ALLOWED = (
    Allowed("proxy", re.compile(r"\(111\)Connection refused: AH00957: https?: attempt to connect "
                                rf"to {ADDR} \("), "connect to the killed instance refused"),
    Allowed("proxy", re.compile(rf"AH00959: ap_proxy_connect_backend disabling worker for "
                                rf"\({ADDR}\)"), "mod_proxy puts the killed instance's worker in error"),
    Allowed("proxy_http", re.compile(r"AH01114: HTTP: failed to make connection to backend: "
                                     r"(?P<host>[0-9.]+)$"),
            "the request that met the refused connect (mod_proxy names no port)"),
    Allowed("proxy_http", re.compile(r"AH01102: error reading status line from remote server "
                                     rf"{ADDR}"), "a request in flight when the instance died"),
    Allowed("proxy", re.compile(r"AH00898: Error reading from remote server returned by "),
            "a request in flight when the instance died (mod_proxy names no listener)"),
)


def explain(line, faults):
    """(the Allowed pattern, the Fault) that explain a severe LogLine, or None."""
    for allowed in ALLOWED:
        if line.module != allowed.module:
            continue
        m = allowed.pattern.search(line.text)
        if not m:
            continue
        named = m.groupdict().get("addr")
        host = m.groupdict().get("host")
        for fault in faults:
            if not fault.covers(line.when, wall=True):
                continue
            if named and named != fault.listener:
                continue
            if host and not fault.listener.startswith(host + ":"):
                continue
            return allowed, fault
    return None
