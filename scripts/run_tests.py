"""Runs the lint and type-checking gate and every test suite (each service is its own Django project, so its
own pytest run) and prints one closing line with the totals."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUITES = [
    ROOT / "services" / "chassis",
    *(ROOT / "services" / name for name in ("auth", "catalog", "orders", "payments", "notifications")),
    ROOT,  # gateway, ecomctl and end-to-end tests under tests/
]


def run_suite(directory: Path, report: Path, extra_args: list[str]) -> tuple[int, dict[str, int]]:
    command = [sys.executable, "-m", "pytest", "-q", f"--junitxml={report}", *extra_args]
    print(f"\n=== {directory.relative_to(ROOT) or '.'} ===", flush=True)
    returncode = subprocess.call(command, cwd=directory)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    if report.exists():
        for suite in ET.parse(report).getroot().iter("testsuite"):
            for key in counts:
                counts[key] += int(suite.get(key, 0))
    return returncode, counts


# The lint gate: pyflakes, pycodestyle, bugbear and import order, the formatting, then the
# types of ecomctl and the chassis, as configured in pyproject.toml.
LINT_COMMANDS = [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]]


def run_lint() -> bool:
    print("\n=== lint ===", flush=True)
    run_module = [sys.executable, "-m"]
    results = [subprocess.call([*run_module, *command], cwd=ROOT) for command in LINT_COMMANDS]
    return not any(results)


def main() -> int:
    extra_args = sys.argv[1:]
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    failed_suites = [] if run_lint() else ["lint"]
    with tempfile.TemporaryDirectory() as tmp:
        for index, directory in enumerate(SUITES):
            if not directory.exists():
                continue
            returncode, counts = run_suite(directory, Path(tmp) / f"{index}.xml", extra_args)
            for key in totals:
                totals[key] += counts[key]
            if returncode not in (0,):
                failed_suites.append(str(directory.relative_to(ROOT)) or ".")
    failed = totals["failures"] + totals["errors"]
    passed = totals["tests"] - failed - totals["skipped"]
    if failed_suites:
        print(f"\nSuites with failures: {', '.join(failed_suites)}")
    if os.environ.get("CI") == "true" and totals["skipped"]:
        print("In CI nothing may be skipped; see the skip reasons above.")
        failed_suites.append("skips-in-ci")
    print(f"\n{passed} passed, {failed} failed, {totals['skipped']} skipped")
    return 1 if failed_suites or totals["tests"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
