"""Starting and stopping the servers the bench runs, each in its own process group."""
import os
import signal
import subprocess

from . import harness_path  # noqa: F401  (puts the harness on sys.path)
from harness import process

START_TIMEOUT = 20.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class ServerError(RuntimeError):
    pass


def start(cmd, log_path, ready, name, timeout=START_TIMEOUT):
    """Starts cmd in a new session and waits until ready() holds; raises with the log if the
    process dies or does not get ready in time."""
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    if process.wait_until(lambda: proc.poll() is not None or ready(), timeout) and \
            proc.poll() is None:
        return proc
    stop(proc)
    raise ServerError(f"{name} did not start: {read_tail(log_path)}")


def stop(proc, timeout=10.0):
    if proc is not None:
        process.stop_group(proc, signal.SIGTERM, timeout)


def read_tail(path, limit=4000):
    try:
        with open(path, errors="replace") as f:
            return f.read()[-limit:]
    except OSError:
        return ""


def tree(pid):
    """pid and its children (one level: the servers here fork workers, not grandchildren)."""
    if pid is None:
        return []
    return [pid] + process.children(pid)


def cpu_seconds(pids):
    """(user, system) CPU seconds of pids (all their threads) so far."""
    user = system = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            user += int(fields[11])
            system += int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return user / CLOCK_TICKS, system / CLOCK_TICKS
