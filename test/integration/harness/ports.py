"""Free loopback ports for backends and httpd.

Ports are drawn at random below the kernel's ephemeral range: a port found free there cannot be
taken in the meantime by an outgoing connection or a bind to port 0, and parallel test processes
rarely draw the same one. Ports handed out in this process are never handed out again.
"""
import random
import socket

_handed_out = set()


def _ephemeral_start():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _bindable(port, host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host="127.0.0.1"):
    high = _ephemeral_start() - 1
    low = max(1024, high - 12000)
    for _ in range(500):
        port = random.randint(low, high)
        if port not in _handed_out and _bindable(port, host):
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free port on {host} in {low}-{high}")
