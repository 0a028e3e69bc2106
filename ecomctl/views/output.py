"""What every view draws with: the console (Rich on a terminal, plain text when piped),
state colours, errors, and JSON for --json callers, which print the same data the views draw."""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

from rich.console import Console

# Piped output is read by people too (and by tests): do not squeeze it into 80 columns.
console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

STATE_STYLES = {
    "running": "green",
    "healthy": "green",
    "CONFIRMED": "green",
    "PENDING": "yellow",
    "starting": "yellow",
    "paused": "yellow",
    "stopped": "red",
    "exited": "red",
    "killed": "red",
    "CANCELLED": "red",
    "unhealthy": "red",
}
EVENT_STYLES = {"order": "cyan", "payment": "magenta", "notification": "blue"}


def styled(value: str) -> str:
    style = STATE_STYLES.get(value)
    return f"[{style}]{value}[/{style}]" if style else value


def print_json(data: Any) -> None:
    print(json.dumps(plain(data), indent=2, default=str))


def plain(data: Any) -> Any:
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return dataclasses.asdict(data)
    if isinstance(data, (list, tuple)):
        return [plain(item) for item in data]
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    return data


def error(message: str) -> None:
    errors.print(f"[bold red]error:[/bold red] {message}")


def print_json_line(data: Any) -> None:
    print(json.dumps(plain(data), default=str), flush=True)
