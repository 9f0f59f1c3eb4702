"""Running a program under callgrind and reading its counts with callgrind_annotate: per
function the inclusive instructions, the self instructions, and what each callee cost it."""
import collections
import re
import subprocess

TIMEOUT = 600.0
_LINE = re.compile(r"^\s*([\d,]+)\s+\([^)]*\)\s+([*>]?)\s*(.*)$")


class Profile:
    def __init__(self, total, inclusive, self_cost, callees, calls=None):
        self.total = total
        self.inclusive_by_name = inclusive   # name -> Ir, the function and all it calls
        self.self_by_name = self_cost        # name -> Ir in the function's own code
        self.callees = callees               # name -> {callee: Ir spent in that callee}
        self.calls = calls or {}             # name -> {callee: how often it called it}

    def _find(self, patterns):
        return [n for n in self.inclusive_by_name if all(p in n for p in patterns)]

    def inclusive(self, *patterns):
        """Inclusive Ir of the largest function whose name contains every pattern; 0 if none."""
        return max((self.inclusive_by_name[n] for n in self._find(patterns)), default=0)

    def inclusive_without(self, patterns, callee_pattern):
        """As inclusive(), less what the function spent in callees matching callee_pattern (an
        output filter's own cost without the filters after it)."""
        names = self._find(patterns)
        if not names:
            return 0
        name = max(names, key=self.inclusive_by_name.get)
        passed = sum(c for callee, c in self.callees.get(name, {}).items()
                     if callee_pattern in callee)
        return self.inclusive_by_name[name] - passed

    def entered_from(self, caller, callee_pattern):
        """Ir spent in callees matching callee_pattern when called by functions named
        `caller` (an httpd hook runner: what one module costs in that hook)."""
        return sum(c for callee, c in self.callees.get(caller, {}).items()
                   if callee_pattern in callee)

    def calls_to(self, base_name):
        """How often any function called `base_name` (a symbol version such as
        clock_gettime@@GLIBC_2.17 counts as its base name)."""
        return sum(n for callees in self.calls.values() for callee, n in callees.items()
                   if callee.split("@")[0] == base_name)

    def calls_by_caller(self, base_name):
        """{caller: calls of base_name}."""
        out = collections.Counter()
        for caller, callees in self.calls.items():
            for callee, n in callees.items():
                if callee.split("@")[0] == base_name:
                    out[caller] += n
        return dict(out)

    def inclusive_top(self, limit, keep):
        """The `limit` largest functions whose name satisfies keep(name)."""
        rows = sorted(self.inclusive_by_name.items(), key=lambda kv: -kv[1])
        return [(n, c) for n, c in rows if keep(n)][:limit]


def merge(profiles):
    """One Profile summing several (the threads of one process)."""
    total, inclusive, self_cost = 0, collections.Counter(), collections.Counter()
    callees = collections.defaultdict(collections.Counter)
    calls = collections.defaultdict(collections.Counter)
    for p in profiles:
        total += p.total
        inclusive.update(p.inclusive_by_name)
        self_cost.update(p.self_by_name)
        for name, c in p.callees.items():
            callees[name].update(c)
        for name, c in p.calls.items():
            calls[name].update(c)
    return Profile(total, dict(inclusive), dict(self_cost),
                   {k: dict(v) for k, v in callees.items()}, {k: dict(v) for k, v in calls.items()})


def command(out_file, extra=()):
    return ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out_file}", *extra]


def run_program(argv, out_file):
    subprocess.run(command(out_file) + list(argv), capture_output=True, timeout=TIMEOUT,
                   check=True)
    return read(out_file)


def _annotate(out_file, *flags):
    # --auto=no: no annotated source lines, whose counts would read like functions.
    return subprocess.run(["callgrind_annotate", "--threshold=100", "--auto=no", *flags,
                           str(out_file)],
                          capture_output=True, text=True, timeout=TIMEOUT, check=True).stdout


def read(out_file):
    return parse(_annotate(out_file, "--inclusive=yes", "--tree=calling"),
                 _annotate(out_file, "--inclusive=no"))


def parse(calling_tree, self_listing):
    """A Profile from callgrind_annotate's `--inclusive=yes --tree=calling` output and its
    `--inclusive=no` listing."""
    total, inclusive = 0, {}
    callees = collections.defaultdict(collections.Counter)
    calls = collections.defaultdict(collections.Counter)
    current = None
    for count, mark, name, times in _lines(calling_tree):
        if name == "PROGRAM TOTALS":
            total = count
        elif mark == ">" and current:
            callees[current][name] += count
            calls[current][name] += times
        else:
            current = name
            # The same function shows once per source file its code came from (inlining):
            # the largest entry is the whole function.
            inclusive[name] = max(inclusive.get(name, 0), count)
    self_cost = collections.Counter()
    for count, _, name, _ in _lines(self_listing):
        if name != "PROGRAM TOTALS":
            self_cost[name] += count
    return Profile(total, inclusive, dict(self_cost), dict(callees),
                   {k: dict(v) for k, v in calls.items()})


_CALLS = re.compile(r"\s\((\d[\d,]*)x\)")


def _lines(text):
    """(Ir, mark, function, calls): calls is the "(12x)" of a callee line, else 0."""
    for line in text.splitlines():
        m = _LINE.match(line)
        if m:
            times = _CALLS.search(m.group(3))
            yield (int(m.group(1).replace(",", "")), m.group(2), _function_name(m.group(3)),
                   int(times.group(1).replace(",", "")) if times else 0)


def _function_name(text):
    """"file:function [object] (12x)" -> "function"; keeps C++ signatures whole."""
    text = re.sub(r"\s+\(\d[\d,]*x\)", "", text.strip())
    text = re.sub(r"\s+\[[^\]]*\]$", "", text)
    text = re.sub(r"'\d+$", "", text)  # callgrind's recursion-depth suffix
    head, sep, rest = text.partition(":")
    if sep and ("/" in head or head.startswith("???") or head.startswith("<")
                or head.endswith((".c", ".cpp", ".h", ".hpp", ".S"))):
        return rest
    return text
