"""Memory of a server's processes from /proc: resident set summed over processes, the
proportional share (PSS, which counts shared pages once overall), and the shared-memory
segments (APR shm, slotmem) mapped by the parent."""


def _rollup(pid):
    fields = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                    fields[parts[0][:-1]] = int(parts[1])
    except OSError:
        pass
    return fields


def _mappings(pid):
    """(perms, path, size_kb, rss_kb) for each mapping in /proc/<pid>/smaps."""
    out = []
    current = None
    try:
        with open(f"/proc/{pid}/smaps") as f:
            for line in f:
                parts = line.split()
                if "-" in parts[0] and len(parts) >= 5 and not parts[0].endswith(":"):
                    current = [parts[1], " ".join(parts[5:]), 0, 0]
                    out.append(current)
                elif current and parts[0] == "Size:":
                    current[2] = int(parts[1])
                elif current and parts[0] == "Rss:":
                    current[3] = int(parts[1])
    except OSError:
        pass
    return out


def _shm_segments(pid):
    """Shared writable mappings that are not files on disk: anonymous shm (/dev/zero), SysV
    segments and memfd/shm files."""
    segs = [m for m in _mappings(pid) if "s" in m[0] and "w" in m[0]]
    return [m for m in segs if not m[1] or m[1].startswith(("/dev/zero", "/SYSV", "/memfd:",
                                                           "/dev/shm")) or ".shm" in m[1]]


def measure(pids):
    """{"processes", "rss_kb", "pss_kb", "shm_kb", "shm_rss_kb"} over pids; pids[0] is the
    parent whose shared segments are counted (children map the same ones)."""
    if not pids:
        return None
    rollups = [_rollup(p) for p in pids]
    segments = _shm_segments(pids[0])
    # A shared page is resident in every process that touched it: the largest count is the
    # closest to the pages really in use.
    shm_rss = max(sum(m[3] for m in _shm_segments(p)) for p in pids)
    return {
        "processes": len(pids),
        "rss_kb": sum(r.get("Rss", 0) for r in rollups),
        "pss_kb": sum(r.get("Pss", 0) for r in rollups),
        "shm_kb": sum(m[2] for m in segments),
        "shm_rss_kb": shm_rss,
    }
