"""Waiting for conditions and stopping whole process groups."""
import os
import signal
import socket
import subprocess
import time


def wait_until(predicate, timeout, interval=0.05):
    """Polls predicate() until it is truthy (returned) or timeout seconds pass (None)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def port_open(port, host="127.0.0.1"):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def signal_group(pgid, sig):
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def stop_group(proc, sig=signal.SIGTERM, timeout=10.0):
    """Sends sig to the process group led by proc, SIGKILLs it if anything of it is left after
    timeout, and returns once no process of the group remains (httpd's workers may outlive
    their parent)."""
    pgid = proc.pid
    signal_group(pgid, sig)
    if not wait_until(lambda: proc.poll() is not None and not group_alive(pgid), timeout):
        signal_group(pgid, signal.SIGKILL)
    proc.wait()
    wait_until(lambda: not group_alive(pgid), 5.0)


def children(pid):
    """Pids whose parent is pid, from /proc."""
    return [int(e) for e in os.listdir("/proc") if e.isdigit() and _parent_pid(e) == pid]


def _parent_pid(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            # The command name may hold spaces and parentheses; fields resume after the last ')'.
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None
