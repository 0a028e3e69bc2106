"""Facts about the test machine: free ports, and binaries whose absence skips a test
(or fails it under CI=true, where nothing may be skipped)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from chassis_testing.ports import free_port, free_port_run
from ecomctl.description.stack_file import STACK_FILE, Stack, load_stack

__all__ = ["free_port", "relocated_stack", "require_binary"]


def require_binary(found: object, name: str) -> None:
    """Skip naming the missing program, or fail under CI=true where nothing may be skipped."""
    if not found:
        message = f"{name} is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def relocated_stack(directory: Path, name: str | None = None) -> Stack:
    """stack.yaml with every port moved to a free one, clear of the host's own servers and
    of a stack a developer may have running; with a name, also renamed (docker stacks are
    told apart by name)."""
    raw = yaml.safe_load(STACK_FILE.read_text())
    raw["name"] = name or raw["name"]
    raw["gateway"]["port"] = free_port()
    rabbitmq = raw["infrastructure"]["rabbitmq"]
    rabbitmq["port"], rabbitmq["dist_port"], rabbitmq["epmd_port"] = free_port(), free_port(), free_port()
    rabbitmq["management_port"] = free_port()
    raw["infrastructure"]["postgres"]["base_port"] = free_port_run(len(raw["services"]))
    for spec in raw["services"].values():
        spec["port"] = free_port()
    path = directory / "stack.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return load_stack(path)
