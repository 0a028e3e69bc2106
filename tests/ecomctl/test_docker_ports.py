"""A loopback port the docker runtime would publish is taken: one sentence naming the port
and the setting, and nothing of the stack created."""

from __future__ import annotations

import socket

import pytest

from ecomctl.runtime import PortInUse, docker_engine_answers
from ecomctl.runtime.docker.runtime import DockerRuntime
from ecomctl.runtime.state import StateDirectory
from support.machine import relocated_stack, require_binary


def test_a_taken_gateway_port_is_reported_before_anything_is_created(tmp_path):
    require_binary(docker_engine_answers(), "a Docker engine (make docker starts one)")
    stack = relocated_stack(tmp_path, name="ports-test")
    runtime = DockerRuntime(stack, StateDirectory(tmp_path / "state"))
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", stack.gateway.port))
        holder.listen()
        try:
            with pytest.raises(PortInUse) as taken:
                runtime.up()
            assert str(stack.gateway.port) in str(taken.value) and "stack.yaml" in str(taken.value)
            assert runtime.engine.containers() == [] and runtime.engine.networks() == []
        finally:
            runtime.down(volumes=True)
            runtime.engine.client.close()
