"""Real pieces for runtime tests: a state directory every account can reach, a copy of
the stack on free high ports, and a supervisord that is always shut down."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from ecomctl.runtime import prerequisites
from ecomctl.runtime.local.layout import StateLayout
from ecomctl.runtime.local.supervisor import Program, Supervisor
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


@pytest.fixture(name="free_port")
def free_port_fixture() -> Callable[[], int]:
    return free_port


@pytest.fixture
def wait_for_state() -> Callable[[Supervisor, str, str], str]:
    """Wait for a program's supervisord state; returns the state it reached in time."""

    def wait(supervisor: Supervisor, name: str, state: str, timeout: float = 5) -> str:
        deadline = time.monotonic() + timeout
        while (current := supervisor.info(name)["statename"]) != state and time.monotonic() < deadline:
            time.sleep(0.05)
        return current

    return wait


@pytest.fixture
def layout() -> Iterator[StateLayout]:
    # Not pytest's tmp_path: as root its parents are closed to the postgres and rabbitmq accounts.
    root = Path(tempfile.mkdtemp(prefix="ecomlab-runtime-"))
    root.chmod(0o755)
    state = StateLayout(root / "state")
    state.create()
    yield state
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def stack(tmp_path) -> Stack:
    """stack.yaml with every port moved to a free one, clear of the host's own servers."""
    raw = yaml.safe_load(STACK_FILE.read_text())
    raw["gateway"]["port"] = free_port()
    rabbitmq = raw["infrastructure"]["rabbitmq"]
    rabbitmq["port"], rabbitmq["dist_port"], rabbitmq["epmd_port"] = free_port(), free_port(), free_port()
    raw["infrastructure"]["postgres"]["base_port"] = free_port() - len(raw["services"])
    for spec in raw["services"].values():
        spec["port"] = free_port()
    path = tmp_path / "stack.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return load_stack(path)


@pytest.fixture
def supervised(layout) -> Iterator[Callable[[list[Program]], Supervisor]]:
    """Launch a supervisord for some programs; it and its children end with the test."""
    launched: list[Supervisor] = []

    def launch(programs: list[Program]) -> Supervisor:
        supervisor = Supervisor(layout)
        supervisor.launch(programs)
        launched.append(supervisor)
        return supervisor

    yield launch
    for supervisor in launched:
        supervisor.shutdown()


@pytest.fixture
def postgres_binaries() -> None:
    require_binary(prerequisites.postgres_bin_dir(), "PostgreSQL (initdb, postgres)")


@pytest.fixture
def rabbitmq_binaries() -> None:
    require_binary(prerequisites.rabbitmq_scripts_dir(), "rabbitmq-server")
