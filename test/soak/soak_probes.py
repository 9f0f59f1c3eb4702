"""What the soak reads off the running site besides HTTP: httpd's memory from /proc, the
shared-memory figures of the status document, and the error log's lines above warning."""
import re
from dataclasses import dataclass
from datetime import datetime

FIELDS = ("VmRSS", "RssAnon", "RssFile", "RssShmem")


@dataclass
class Memory:
    """kB of httpd's parent and each child, as /proc/<pid>/status gives them."""
    per_pid: dict  # pid -> {field: kB}

    @property
    def processes(self):
        return len(self.per_pid)

    @property
    def kb(self):
        """field -> kB summed over the processes."""
        return {f: sum(p.get(f, 0) for p in self.per_pid.values()) for f in FIELDS}

    def of(self, pids, field="RssAnon"):
        return sum(self.per_pid[p].get(field, 0) for p in pids if p in self.per_pid)


def memory(httpd):
    pids = (httpd.proc.pid, *sorted(httpd.child_pids()))
    return Memory({pid: _status_fields(pid) for pid in pids})


def _status_fields(pid):
    found = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in FIELDS:
                    found[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass  # a child that exited meanwhile counts as nothing
    return found


@dataclass
class SharedMemory:
    """The session table and the balancers' worker slots, from one status document."""
    table_used: int
    table_capacity: int
    table_overflow: int
    table_evicted: int
    workers: dict  # cluster -> (used, total)
    spare_clusters: tuple  # (used, total)
    live: int  # live sessions over every instance, as the last sweep counted them
    untracked: int
    per_instance: dict  # instance -> live sessions


def shared_memory(status):
    table = status["session_table"]
    instances = [i for c in status["clusters"] for i in c["instances"]]
    return SharedMemory(
        table["used"], table["capacity"], table["overflow"], table["evicted"],
        {c["name"]: (c["workers"]["used"], c["workers"]["total"]) for c in status["clusters"]},
        (status["spare_clusters"]["used"], status["spare_clusters"]["total"]),
        sum(i["live_sessions"] for i in instances),
        sum(i["untracked_sessions"] for i in instances),
        {i["name"]: i["live_sessions"] for i in instances if i["live_sessions"]})


# httpd's error log line: [Tue Dec 01 20:05:20.547510 2026] [proxy:error] [pid ...] text
LINE = re.compile(r"^\[(?P<when>[^\]]+)\] \[(?P<module>[^:\]]*):(?P<level>[a-z0-9]+)\] "
                  r"(?P<text>.*)$")
SEVERE = {"error", "crit", "alert", "emerg"}
# A child that died of a signal is logged at notice by the parent; it is never an injected
# fault (the soak kills backends, not httpd).
CRASH = re.compile(r"AH00051|AH00052|exit signal|seg(mentation)? ?fault", re.IGNORECASE)


@dataclass
class LogLine:
    when: float  # seconds since the epoch, from the line's own time stamp
    module: str
    level: str
    text: str


def severe_lines(log_text):
    """Lines at error level or above, and every line that says a child crashed."""
    found = []
    for raw in log_text.splitlines():
        m = LINE.match(raw)
        if not m:
            continue
        if m["level"] in SEVERE or CRASH.search(m["text"]):
            found.append(LogLine(_epoch(m["when"]), m["module"], m["level"], m["text"]))
    return found


def _epoch(stamp):
    # httpd writes local time with microseconds: "Tue Dec 01 20:05:20.547510 2026".
    try:
        return datetime.strptime(stamp, "%a %b %d %H:%M:%S.%f %Y").timestamp()
    except ValueError:
        return 0.0
