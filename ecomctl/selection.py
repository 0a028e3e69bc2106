"""Which runtime a command talks to: the one `up` used, remembered in the state directory."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from ecomctl.runtime import RUNTIME_NAMES, Runtime, get_runtime
from ecomctl.stack import PROJECT_ROOT

RUNTIME_OPTION = typer.Option(
    "auto", "--runtime", "-r", help=f"One of {', '.join(RUNTIME_NAMES)} (auto: docker when an engine answers)."
)


def _memory() -> Path:
    root = os.environ.get("ECOMLAB_STATE_DIR")
    return (Path(root) if root else PROJECT_ROOT / ".ecomlab") / "runtime"


def remember_runtime(name: str) -> None:
    _memory().write_text(name)


def current_runtime() -> Runtime:
    memory = _memory()
    return get_runtime(memory.read_text().strip() if memory.exists() else "auto")
