"""How long and how often each section measures: the default profile keeps a whole run under
~15 minutes on 2 cores, --quick under ~3."""
from dataclasses import dataclass

from .wrk import Load

# One wrk thread leaves the most CPU to the servers on a 2-core machine; 32 connections keep
# every httpd thread set busy without queueing in the listen backlog.
WRK_THREADS = 1
CONNECTIONS = 32
# httpd as the harness runs it (event MPM), sized so no request waits for a thread.
HTTPD_SERVERS = 2
HTTPD_THREADS = 32
# HAProxy: one thread per core, as httpd's children spread over both cores.
HAPROXY_THREADS = 2
NGINX_WORKERS = 1


@dataclass(frozen=True)
class Profile:
    name: str
    duration: int           # seconds of one measured wrk run in the comparison
    rounds: int             # A B C D … repeated this often; the median is reported
    warmup: int
    scale_instances: tuple
    scale_duration: int
    scale_rounds: int
    session_counts: tuple   # distinct client sessions, measured at the largest instance count
    micro_min_time: float   # Google Benchmark --benchmark_min_time
    callgrind_requests: tuple  # two request counts: their difference cancels start-up cost
    reload_timed: int = 20     # 1,000-instance reloads timed one by one
    reload_rss: int = 1000     # reloads over which each child's RSS is followed
    reload_load_seconds: int = 5  # each wrk run of the reload-every-second row, and without
    reload_load_rounds: int = 3
    syscall_requests: int = 2000  # sequential requests under strace -c -f
    failover_requests: int = 600  # sequential new sessions, about half of them retried

    def load(self, duration=None):
        return Load(WRK_THREADS, CONNECTIONS, duration or self.duration)


FULL = Profile(name="full", duration=3, rounds=12, warmup=1,
               scale_instances=(2, 10, 100, 1000), scale_duration=3, scale_rounds=3,
               session_counts=(1000, 10000, 100000), micro_min_time=0.5,
               callgrind_requests=(200, 1200))
QUICK = Profile(name="quick", duration=2, rounds=3, warmup=1,
                scale_instances=(2, 1000), scale_duration=2, scale_rounds=2,
                session_counts=(1000, 100000), micro_min_time=0.05,
                callgrind_requests=(100, 400), reload_timed=10, reload_rss=200,
                reload_load_seconds=3, reload_load_rounds=2, syscall_requests=1000,
                failover_requests=300)
