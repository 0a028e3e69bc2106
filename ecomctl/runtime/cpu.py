"""CPU time used so far, by process tree (local runtime) or container (docker runtime):
what `ecomctl bench` subtracts before from after to tell where the time of a run went."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PROC = Path("/proc")


def process_tree_cpu_seconds(roots: dict[str, int], alone: frozenset[str] = frozenset()) -> dict[str, float]:
    """User plus system seconds of each named process and every descendant it has now (a
    gunicorn master and its workers, a postmaster and its backends), from one pass over
    /proc. Children already reaped count through their parent's cutime and cstime. A name
    in `alone` counts its own process only (a supervisor, whose children are named too)."""
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended meanwhile
        pid = int(entry.name)
        # After the command: state ppid ... utime(12) stime(13) cutime(14) cstime(15), 0-based from state.
        parents[pid] = int(fields[1])
        used[pid] = sum(int(value) for value in fields[11:15]) / _CLOCK_TICKS
    children: dict[int, list[int]] = defaultdict(list)
    for pid, parent in parents.items():
        children[parent].append(pid)

    def tree(pid: int) -> float:
        return used.get(pid, 0.0) + sum(tree(child) for child in children.get(pid, ()))

    return {name: used.get(pid, 0.0) if name in alone else tree(pid) for name, pid in roots.items() if pid}


def own_cpu_seconds() -> float:
    """This process's user plus system seconds (threads included)."""
    times = os.times()
    return times.user + times.system
