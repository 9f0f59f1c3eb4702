"""Many distinct loopback ports at once: mod_proxy keys workers by URL, so every instance of a
1,000-instance cluster needs its own listener."""
from . import harness_path  # noqa: F401
from harness import free_port


def allocate(count):
    return [free_port() for _ in range(count)]
