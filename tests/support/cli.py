"""`ecomctl` run as a user runs it, as a subprocess, against a stack of its own: a state
directory and a copy of stack.yaml on free ports in a fresh folder, brought down with its
data and removed afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ecomctl.description.stack_file import Stack
from ecomctl.runtime import prerequisites
from support.machine import relocated_stack, require_binary


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "ecomctl", *arguments]


@dataclass
class Cli:
    root: Path
    stack: Stack
    environment: dict[str, str]

    def __call__(self, *arguments: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        result = subprocess.run(command(*arguments), env=self.environment, capture_output=True, text=True,
                                timeout=timeout, check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"ecomctl {' '.join(arguments)} exited {result.returncode}:\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result


def require_local_runtime() -> None:
    require_binary(prerequisites.find_binary("nginx"), "nginx")
    require_binary(prerequisites.postgres_bin_dir(), "PostgreSQL server binaries (initdb, postgres)")
    require_binary(prerequisites.rabbitmq_scripts_dir(), "rabbitmq-server")


@contextlib.contextmanager
def relocated_cli(prefix: str) -> Iterator[Cli]:
    """A Cli whose stack is not up yet; whatever it started is brought down at the end."""
    require_local_runtime()
    # Not pytest's tmp_path: as root its parents are closed to the postgres and rabbitmq accounts.
    root = Path(tempfile.mkdtemp(prefix=prefix))
    root.chmod(0o755)
    stack = relocated_stack(root)
    environment = {**os.environ, "ECOMLAB_STATE_DIR": str(root / "state"),
                   "ECOMLAB_STACK_FILE": str(root / "stack.yaml"), "COLUMNS": "200"}
    environment.pop("ECOMCTL_GATEWAY_URL", None)
    cli = Cli(root, stack, environment)
    try:
        yield cli
    finally:
        cli("down", "--volumes", check=False)
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def seeded_cli(prefix: str) -> Iterator[Cli]:
    """A Cli whose stack is up on the local runtime and seeded."""
    with relocated_cli(prefix) as cli:
        cli("up", "--runtime", "local")
        cli("seed")
        yield cli
