"""A taken port is reported with its number, the process holding it and the setting that
moves it."""

from __future__ import annotations

import os
import socket

import pytest

from ecomctl.runtime.errors import PortInUse
from ecomctl.runtime.ports import ensure_ports_free, port_is_free


def test_taken_port_names_port_process_and_setting():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        with pytest.raises(PortInUse) as taken:
            ensure_ports_free({port: "gateway.port in stack.yaml"})

    assert taken.value.port == port
    assert taken.value.process.endswith(f"(pid {os.getpid()})")
    message = str(taken.value)
    assert f"Port {port} is already in use by" in message
    assert "gateway.port in stack.yaml" in message


def test_free_port_passes(free_port):
    port = free_port()

    ensure_ports_free({port: "gateway.port in stack.yaml"})

    assert port_is_free(port)
