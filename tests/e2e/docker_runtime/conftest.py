"""A whole ecomlab stack on the docker runtime, one for this folder: a stack of its own name
and free loopback ports, built and started through the real engine, and removed with its
volumes. The e2e `shop` fixture drives it exactly as it drives the local runtime, and the
real `ecomctl` command reaches it through the state directory, as a user's would."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from ecomctl.runtime import docker_engine_answers
from ecomctl.runtime.docker.runtime import DockerRuntime
from ecomctl.runtime.state import StateDirectory
from support.cli import Cli
from support.machine import relocated_stack, require_binary
from support.stacks import running, stack_folder


def new_docker_runtime(root: Path, prefix: str) -> DockerRuntime:
    stack = relocated_stack(root, name=f"{prefix}-{uuid.uuid4().hex[:6]}")
    return DockerRuntime(stack, StateDirectory(root / "state"))


@pytest.fixture(scope="package")
def runtime():
    require_binary(docker_engine_answers(), "a Docker engine (make docker starts one)")
    with stack_folder("ecomlab-docker-") as root, running(new_docker_runtime(root, "e2e")) as runtime:
        runtime.state.remember_runtime(runtime.name)  # as `ecomctl up --runtime docker` does
        yield runtime


@pytest.fixture(scope="package")
def ecomctl(runtime) -> Cli:
    """The real command, each call its own process, on this folder's stack."""
    return Cli.in_folder(runtime.state.root.parent, runtime.stack)
