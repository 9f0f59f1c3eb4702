"""The failover pick of mod_zdu's core (routing/failover.hpp) computed independently, so tests
can say in advance where a session must move: FNV-1a 64 of the session id, jump consistent hash
over the cluster's instances in config order, a few rehashes, then a walk."""
M64 = 2 ** 64
FNV_OFFSET = 14695981039346656037
FNV_PRIME = 1099511628211
GOLDEN = 0x9E3779B97F4A7C15


def fnv1a(text):
    h = FNV_OFFSET
    for byte in text.encode():
        h = ((h ^ byte) * FNV_PRIME) % M64
    return h


def jump_hash(key, buckets):
    b, j = -1, 0
    while j < buckets:
        b = j
        key = (key * 2862933555777941757 + 1) % M64
        j = int((b + 1) * (float(1 << 31) / float((key >> 33) + 1)))
    return b


def consistent_pick(members, session_id, ok):
    n = len(members)
    key = fnv1a(session_id)
    for attempt in range(4):
        candidate = members[jump_hash((key + attempt * GOLDEN) % M64, n)]
        if ok(candidate):
            return candidate
    start = jump_hash(key, n)
    for k in range(n):
        candidate = members[(start + k) % n]
        if ok(candidate):
            return candidate
    return None
