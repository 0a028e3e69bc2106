"""A whole ecomlab stack on the docker runtime, one for this folder: a stack of its own name
and free loopback ports, built and started through the real engine, and removed with its
volumes. The e2e `shop` fixture drives it exactly as it drives the local runtime, and the
real `ecomctl` command reaches it through the state directory, as a user's would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from ecomctl.runtime import docker_engine_answers
from ecomctl.runtime.docker.runtime import DockerRuntime
from ecomctl.runtime.state import StateDirectory
from support.machine import relocated_stack, require_binary


def new_docker_runtime(root: Path, prefix: str) -> DockerRuntime:
    stack = relocated_stack(root, name=f"{prefix}-{uuid.uuid4().hex[:6]}")
    return DockerRuntime(stack, StateDirectory(root / "state"))


@pytest.fixture(scope="package")
def runtime():
    require_binary(docker_engine_answers(), "a Docker engine (make docker starts one)")
    root = Path(tempfile.mkdtemp(prefix="ecomlab-docker-"))
    runtime = new_docker_runtime(root, "e2e")
    try:
        runtime.up()
        runtime.state.remember_runtime(runtime.name)  # as `ecomctl up --runtime docker` does
        yield runtime
    finally:
        runtime.down(volumes=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="package")
def ecomctl(runtime):
    """The real command, each call its own process, on this folder's stack."""
    environment = {**os.environ, "ECOMLAB_STATE_DIR": str(runtime.state.root),
                   "ECOMLAB_STACK_FILE": str(runtime.state.root.parent / "stack.yaml"), "COLUMNS": "200"}
    environment.pop("ECOMCTL_GATEWAY_URL", None)

    def run(*arguments: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "ecomctl", *arguments], env=environment,
                                capture_output=True, text=True, timeout=timeout, check=False)
        if check and result.returncode != 0:
            raise AssertionError(f"ecomctl {' '.join(arguments)} exited {result.returncode}:\n"
                                 f"{result.stdout}\n{result.stderr}")
        return result

    run.environment = environment
    return run
