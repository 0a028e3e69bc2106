"""`ecomctl` run as a user runs it, as a subprocess, against a stack of its own: a state
directory and a copy of stack.yaml on free ports in a fresh folder (support.stacks),
brought down with its data and removed afterwards."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ecomctl.description.stack_file import Stack
from ecomctl.runtime import prerequisites
from support.machine import relocated_stack, require_binary
from support.stacks import stack_folder


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "ecomctl", *arguments]


@dataclass
class Cli:
    root: Path
    stack: Stack
    environment: dict[str, str]

    @classmethod
    def in_folder(cls, root: Path, stack: Stack) -> Cli:
        """The command on the stack whose stack.yaml and state are in `root`."""
        environment = {
            **os.environ,
            "ECOMLAB_STATE_DIR": str(root / "state"),
            "ECOMLAB_STACK_FILE": str(root / "stack.yaml"),
            "COLUMNS": "200",
        }
        environment.pop("ECOMCTL_GATEWAY_URL", None)
        return cls(root, stack, environment)

    def __call__(self, *arguments: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        result = subprocess.run(
            command(*arguments), env=self.environment, capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"ecomctl {' '.join(arguments)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
            )
        return result


def require_local_runtime() -> None:
    require_binary(prerequisites.find_binary("nginx"), "nginx")
    require_binary(prerequisites.postgres_bin_dir(), "PostgreSQL server binaries (initdb, postgres)")
    require_binary(prerequisites.rabbitmq_scripts_dir(), "rabbitmq-server")


@contextlib.contextmanager
def relocated_cli(prefix: str) -> Iterator[Cli]:
    """A Cli whose stack is not up yet; whatever it started is brought down at the end."""
    require_local_runtime()
    with stack_folder(prefix) as root:
        cli = Cli.in_folder(root, relocated_stack(root))
        try:
            yield cli
        finally:
            cli("down", "--volumes", check=False)


@contextlib.contextmanager
def started_cli(prefix: str, *, seed: bool = False) -> Iterator[Cli]:
    """A Cli whose stack is up on the local runtime, and seeded if asked."""
    with relocated_cli(prefix) as cli:
        assert "ecomlab is up" in cli("up", "--runtime", "local").stdout
        if seed:
            cli("seed")
        yield cli
