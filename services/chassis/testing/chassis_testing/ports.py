"""Free loopback ports for the servers a test starts, clear of the ports the kernel hands
to outgoing connections."""

from __future__ import annotations

import random
import socket

# Below the kernel's range for outgoing connections (ip_local_port_range, from 32768 by
# default): a port picked inside it can be taken by any client's connection between the
# pick and the server's bind.
_LISTEN_PORTS = range(20_000, 32_000)
_handed_out: set[int] = set()


def free_port() -> int:
    """A loopback port nothing listens on, not handed out before by this process."""
    return free_port_run(1)


def free_port_run(length: int) -> int:
    """The first of `length` consecutive free ports."""
    for _ in range(200):
        start = random.randrange(_LISTEN_PORTS.start, _LISTEN_PORTS.stop - length)
        ports = range(start, start + length)
        if _handed_out.isdisjoint(ports) and all(_is_free(port) for port in ports):
            _handed_out.update(ports)
            return start
    raise RuntimeError(f"no {length} consecutive free ports between {_LISTEN_PORTS.start} and {_LISTEN_PORTS.stop}")


def _is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
