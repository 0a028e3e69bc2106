"""Turns supervisord's view of one program, plus a quick health probe, into the plain
ComponentStatus every runtime returns."""

from __future__ import annotations

from pathlib import Path

from ecomctl.runtime.base import ComponentStatus
from ecomctl.runtime.components import Component
from ecomctl.runtime.readiness import ReadinessCheck

STATES = {
    "RUNNING": "running",
    "STARTING": "starting",
    "BACKOFF": "starting",
    "STOPPING": "stopping",
    "STOPPED": "stopped",
    "EXITED": "exited",
    "FATAL": "failed",
    "UNKNOWN": "failed",
}


def describe(
    component: Component, info: dict | None, readiness: ReadinessCheck | None, restarts: int
) -> ComponentStatus:
    """`info` is supervisord's process info, None when the stack is down."""
    state = STATES.get(info["statename"], "failed") if info else "down"
    pid = info["pid"] or None if info else None
    if state == "running" and pid and is_frozen(pid):
        state = "paused"
    healthy = state == "running" and (readiness is None or readiness.is_ready())
    return ComponentStatus(
        name=component.name,
        kind=component.kind,
        state=state,
        healthy=healthy,
        address=f"127.0.0.1:{component.port}" if component.port else None,
        restarts=restarts,
        pid=pid if state in ("running", "paused", "starting", "stopping") else None,
    )


def is_frozen(pid: int) -> bool:
    """Stopped by SIGSTOP: supervisord does not notice, /proc does (Linux only)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] == "T"
