"""Running the chassis management commands as real processes, and waiting on conditions."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CHASSIS_ROOT = Path(__file__).resolve().parents[2]


def wait_until(condition: Callable[[], object], *, timeout: float, interval: float = 0.1, message: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message or condition}")
        time.sleep(interval)


class DjangoProcess:
    """`python -m django <command>` with the test settings, pointed at the test database."""

    def __init__(self, *command: str, database: str, env: dict[str, str] | None = None):
        self.command = command
        self._final_output: str | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="chassis-process-", suffix=".log", delete=False)
        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(CHASSIS_ROOT), os.environ.get("PYTHONPATH", "")]),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "CHASSIS_DB_NAME": database,
            **(env or {}),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "django", *command],
            cwd=CHASSIS_ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        if self._final_output is not None:
            return self._final_output
        return Path(self.log.name).read_text(errors="replace")

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM, as a supervisor would; the exit code tells whether shutdown was clean."""
        if self._final_output is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self._final_output = self.output()
            self.log.close()
            os.unlink(self.log.name)
        return self.process.returncode
