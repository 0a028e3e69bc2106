"""Whole stacks for end-to-end tests, brought up one way: in a fresh folder of their own,
and always brought down with their data, however the test ended."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from ecomctl.runtime.base import Runtime

R = TypeVar("R", bound=Runtime)


@contextlib.contextmanager
def stack_folder(prefix: str) -> Iterator[Path]:
    """A fresh folder for a stack's copy of stack.yaml and its state, removed afterwards."""
    # Not pytest's tmp_path: as root its parents are closed to the postgres and rabbitmq accounts.
    root = Path(tempfile.mkdtemp(prefix=prefix))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def running(runtime: R) -> Iterator[R]:
    """The runtime's stack up; down with its volumes at the end."""
    try:
        runtime.up()
        yield runtime
    finally:
        runtime.down(volumes=True)
