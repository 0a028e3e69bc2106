"""How `ecomctl bench` turns what it recorded into figures, and reads CPU time from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from ecomctl.bench.report import cpu_per_order, percentile
from ecomctl.runtime.cpu import own_cpu_seconds, process_tree_cpu_seconds


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]

    assert [percentile(values, p) for p in (50, 90, 99, 100)] == [50.0, 90.0, 99.0, 100.0]
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) == 0.0


def test_cpu_per_order_is_the_difference_spread_over_the_orders_biggest_first():
    before = {"orders-web": 10.0, "catalog-web": 5.0, "idle": 1.0}
    after = {"orders-web": 10.8, "catalog-web": 5.2, "idle": 1.0, "started-meanwhile": 0.1}

    per_order = cpu_per_order(before, after, orders=100)

    assert list(per_order) == ["orders-web", "catalog-web", "started-meanwhile"]
    assert round(per_order["orders-web"], 6) == 8.0 and round(per_order["catalog-web"], 6) == 2.0


BUSY_CHILD = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\ntime.sleep(30)"


def test_a_process_tree_counts_its_living_children_and_alone_counts_only_the_process():
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', {BUSY_CHILD!r}])\ntime.sleep(30)",
        ]
    )
    try:
        time.sleep(1.5)  # the child has burnt its 0.3 s by now
        seconds = process_tree_cpu_seconds({"tree": parent.pid, "alone": parent.pid}, alone=frozenset({"alone"}))
    finally:
        for child in _children(parent.pid):
            os.kill(child, 9)
        parent.kill()
        parent.wait()

    assert seconds["tree"] >= seconds["alone"] + 0.25


def test_the_generator_reads_its_own_cpu_time():
    before = own_cpu_seconds()
    end = time.process_time() + 0.05
    while time.process_time() < end:
        pass
    assert own_cpu_seconds() - before >= 0.04


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []
