"""Real pieces for runtime tests: a state directory every account can reach, a copy of
the stack on free high ports, and a supervisord that is always shut down."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chassis_testing.waiting import wait_until
from ecomctl.description.stack_file import Stack
from ecomctl.runtime import prerequisites
from ecomctl.runtime.local.layout import StateLayout
from ecomctl.runtime.local.supervisor import Program, Supervisor
from support.machine import free_port, relocated_stack, require_binary


@pytest.fixture(name="free_port")
def free_port_fixture() -> Callable[[], int]:
    return free_port


@pytest.fixture
def wait_for_state() -> Callable[[Supervisor, str, str], str]:
    """Wait for a program's supervisord state and return it; fails when it is not reached in time."""

    def wait(supervisor: Supervisor, name: str, state: str, timeout: float = 5) -> str:
        return wait_until(
            lambda: (current := supervisor.info(name)["statename"]) == state and current,
            timeout=timeout,
            interval=0.05,
            message=f"{name} to be {state}",
        )

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
    return relocated_stack(tmp_path)


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
