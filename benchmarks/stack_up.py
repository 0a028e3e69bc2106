"""Time from `ecomctl up` to every component healthy, cold (first run: data created) and
warm (data kept from the cold run), and the memory of the running stack.

    python benchmarks/stack_up.py

Runs the real CLI in a scratch state directory on free ports; tears everything down after.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from support.machine import relocated_stack  # noqa: E402


def ecomctl(environment: dict, *arguments: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "ecomctl", *arguments],
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=600,
    )


def timed_up(environment: dict) -> float:
    started = time.perf_counter()
    ecomctl(environment, "up", "--runtime", "local")
    return time.perf_counter() - started


def stack_memory_mib(root: Path) -> tuple[float, int]:
    """Proportional set size (shared pages split fairly) of every process of the stack:
    supervisord and all its descendants."""
    pid = int((root / "state" / "supervisord.pid").read_text())
    processes = _descendants(pid) | {pid}
    total_kib = 0
    for process in processes:
        try:
            for line in Path(f"/proc/{process}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kib += int(line.split()[1])
        except OSError:
            continue  # ended while we looked
    return total_kib / 1024, len(processes)


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, pending = set(), [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="ecomlab-bench-"))
    root.chmod(0o755)
    relocated_stack(root)
    environment = {
        **os.environ,
        "ECOMLAB_STATE_DIR": str(root / "state"),
        "ECOMLAB_STACK_FILE": str(root / "stack.yaml"),
    }
    try:
        cold = timed_up(environment)
        time.sleep(5)  # let start-up work settle before measuring memory
        memory, processes = stack_memory_mib(root)
        ecomctl(environment, "down")
        warm = timed_up(environment)
    finally:
        subprocess.run(
            [sys.executable, "-m", "ecomctl", "down", "--volumes"],
            env=environment,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)
    print(f"ecomctl up, cold (data created): {cold:.1f} s")
    print(f"ecomctl up, warm (data kept):    {warm:.1f} s")
    print(f"memory of the running stack:     {memory:.0f} MiB PSS across {processes} processes")


if __name__ == "__main__":
    main()
