"""Which runtime a command talks to: the one `up` used, remembered in the state directory."""

from __future__ import annotations

from pathlib import Path

import typer

from ecomctl.runtime import RUNTIME_NAMES, Runtime, get_runtime
from ecomctl.runtime.local.layout import StateLayout

RUNTIME_OPTION = typer.Option(
    "auto", "--runtime", "-r", help=f"One of {', '.join(RUNTIME_NAMES)} (auto: docker when an engine answers)."
)


def _memory() -> Path:
    return StateLayout.from_environment().root / "runtime"


def remember_runtime(name: str) -> None:
    _memory().write_text(name)


def current_runtime() -> Runtime:
    memory = _memory()
    return get_runtime(memory.read_text().strip() if memory.exists() else "auto")
