"""Facts about the test machine: free ports, and binaries whose absence skips a test
(or fails it under CI=true, where nothing may be skipped)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
import yaml

from ecomctl.stack import STACK_FILE, Stack, load_stack


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def require_binary(found: object, name: str) -> None:
    """Skip naming the missing program, or fail under CI=true where nothing may be skipped."""
    if not found:
        message = f"{name} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def relocated_stack(directory: Path) -> Stack:
    """stack.yaml with every port moved to a free one, clear of the host's own servers and
    of a stack a developer may have running."""
    raw = yaml.safe_load(STACK_FILE.read_text())
    raw["gateway"]["port"] = free_port()
    rabbitmq = raw["infrastructure"]["rabbitmq"]
    rabbitmq["port"], rabbitmq["dist_port"], rabbitmq["epmd_port"] = free_port(), free_port(), free_port()
    raw["infrastructure"]["postgres"]["base_port"] = _free_run(len(raw["services"]))
    for spec in raw["services"].values():
        spec["port"] = free_port()
    path = directory / "stack.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return load_stack(path)


def _free_run(length: int) -> int:
    """The first of `length` consecutive free ports."""
    for _ in range(50):
        start = free_port()
        ports = range(start, start + length)
        if all(_is_free(port) for port in ports):
            return start
    raise RuntimeError(f"no {length} consecutive free ports found")


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
