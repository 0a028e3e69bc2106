"""Facts about the test machine: free ports, and binaries whose absence skips a test
(or fails it under CI=true, where nothing may be skipped)."""

from __future__ import annotations

import os
import socket
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


def processes_mentioning(root: Path) -> list[str]:
    """Every process whose command line names something under root, as "pid: command"."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command_line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue  # the process ended while we looked
            if str(root) in command_line:
                found.append(f"{entry.name}: {command_line}")
    return found


def ports_answering(stack: Stack, *, databases: bool = True) -> list[int]:
    """The local stack's ports that still accept a connection: the gateway's, the broker's,
    each service's and, with databases, each private PostgreSQL server's."""
    ports = [
        stack.gateway.port,
        int(stack.infrastructure["rabbitmq"]["port"]),
        *(service.port for service in stack.services),
    ]
    if databases:
        ports += [int(stack.infrastructure["postgres"]["base_port"]) + service.index for service in stack.services]
    answering = []
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                answering.append(port)
    return answering
