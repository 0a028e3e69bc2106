"""The chassis's benchmark still runs end to end: a short run, checked for its figures, not
its speed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "outbox_throughput.py"


def test_the_outbox_benchmark_runs_and_prints_its_figures():
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--events", "200"], capture_output=True, text=True, timeout=300, check=False
    )

    assert result.returncode == 0, result.stdout + result.stderr
    for figure in ("outbox writes:", "relay (commit->confirm):", "end to end (2 consumers):", "consumer transactions:"):
        assert figure in result.stdout
