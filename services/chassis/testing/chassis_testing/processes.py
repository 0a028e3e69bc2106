"""A process of a Django project that a test starts (a management command such as a relay
or a consumer, or gunicorn): its output kept in a file the test can read while it runs,
and stopped with SIGTERM as a supervisor would stop it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path


class DjangoProcess:
    """`python <arguments>` in `cwd`, with the test's environment and `env` over it."""

    def __init__(self, arguments: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None):
        self.command = tuple(arguments)
        self._final_output: str | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="django-process-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, *self.command],
            cwd=cwd,
            env={**os.environ, **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        """What it has written to stdout and stderr so far (all of it, once stopped)."""
        if self._final_output is not None:
            return self._final_output
        return Path(self.log.name).read_text(errors="replace")

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, then SIGKILL after `timeout` seconds; the exit code tells whether
        shutdown was clean. Stopping again only returns the code."""
        if self._final_output is None:
            if self.process.poll() is None:
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
