"""When each phase of a soak run happens, from its length alone, so a 60 s run and a 10-minute
run go through the same scenario (the long one with more faults and a second upgrade).

All times are seconds from the start of the load. The run ends with a tail without load, in
which only the holders keep their sessions: abandoned sessions idle out, their ended markers
expire, and the session table must come back to what the holders hold."""
from dataclasses import dataclass, field

SESSION_TIMEOUT_S = 5  # zdu-session-timeout-in-minutes with zdu-minute-in-seconds=1
SWEEP_S = 1  # session-sweep-interval-in-seconds
POLL_S = 1  # reload-poll-interval-in-seconds
HEALTH_INTERVAL_S = 1  # the health checker's interval-in-seconds
RELOAD_EVERY_S = 4  # a weight change every few seconds
# During warm-up the reloads come as fast as they are accepted: each one builds a runtime in
# every child, and glibc's malloc arenas keep some of what a build freed; they reach their
# working size after some hundred builds (README: the memory criterion), not after a dozen.
WARMUP_RELOAD_EVERY_S = 0.25
KILL_DOWN_S = 2.0  # how long a killed instance stays dead before it is started again
# An idled-out session turns into an ended marker at the first sweep past its deadline and the
# marker lives one more session timeout: two timeouts and a few sweeps after the last request.
TAIL_S = 2 * SESSION_TIMEOUT_S + 3 * SWEEP_S + 3
MIN_SECONDS = 45


@dataclass
class Plan:
    seconds: float  # the whole run, tail included
    warmup: float  # RSS and shared memory are first read here
    load_end: float  # the users stop; the tail begins
    reload_every: float
    kills: list = field(default_factory=list)  # [(time, cluster)]
    upgrades: list = field(default_factory=list)  # [(time, cluster)]


def plan_for(seconds):
    if seconds < MIN_SECONDS:
        raise ValueError(f"a soak needs at least {MIN_SECONDS} s, not {seconds}")
    load_end = seconds - TAIL_S
    warmup = min(max(12.0, 0.1 * load_end), 40.0)
    plan = Plan(seconds, warmup, load_end, RELOAD_EVERY_S)
    # The first upgrade (c1) a third of the way in; a run long enough for it also upgrades c2
    # after its faults have had time on both versions.
    plan.upgrades.append((warmup + 0.25 * (load_end - warmup), "c1"))
    if load_end >= 150:
        plan.upgrades.append((warmup + 0.6 * (load_end - warmup), "c2"))
    # Faults spread over the load, alternating clusters: two in a short run, about one a minute
    # in a long one; none in the last seconds, so every killed instance is back before the tail.
    count = max(2, round(load_end / 60))
    first, last = warmup + 2.0, load_end - KILL_DOWN_S - 6.0
    step = (last - first) / max(1, count - 1)
    plan.kills = [(first + k * step, ("c2", "c1")[k % 2]) for k in range(count)]
    return plan
