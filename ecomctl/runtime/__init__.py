"""Runtimes start, stop and break the stack; get_runtime() picks one by name.

    base.Runtime            the interface (up, down, status, logs, kill/stop/start/...)
    ├── local.LocalRuntime  processes on loopback under supervisord
    └── (docker)            containers on a private network, once written
"""

from __future__ import annotations

from ecomctl.runtime.base import ComponentStatus, Progress, ProgressEvent, Runtime, no_progress
from ecomctl.runtime.components import ComponentKind
from ecomctl.runtime.errors import (
    ExternalServerError,
    PortInUse,
    PrerequisiteMissing,
    RuntimeProblem,
    RuntimeUnavailable,
    StackNotRunning,
    StartupFailed,
    StateDirectoryUnusable,
    UnknownComponent,
)

RUNTIME_NAMES = ("local", "docker", "auto")

__all__ = [
    "ComponentKind", "ComponentStatus", "ExternalServerError", "PortInUse", "PrerequisiteMissing", "Progress",
    "ProgressEvent", "Runtime", "RuntimeProblem", "RuntimeUnavailable", "StackNotRunning", "StartupFailed",
    "StateDirectoryUnusable", "UnknownComponent", "docker_engine_answers", "get_runtime", "no_progress",
]


# The runtimes this version ships; auto only picks among these.
IMPLEMENTED = ("local",)


def get_runtime(name: str = "auto") -> Runtime:
    """'local', 'docker', or 'auto' (docker when it is implemented and an engine answers,
    local otherwise)."""
    if name not in RUNTIME_NAMES:
        raise RuntimeUnavailable(f"There is no runtime named {name!r}.", f"Choose one of: {', '.join(RUNTIME_NAMES)}.")
    if name == "auto":
        name = "docker" if "docker" in IMPLEMENTED and docker_engine_answers() else "local"
    if name not in IMPLEMENTED:
        raise RuntimeUnavailable(
            "The docker runtime is not available in this version of ecomctl.", "Use --runtime local."
        )
    from ecomctl.runtime.local.runtime import LocalRuntime

    return LocalRuntime()


def docker_engine_answers() -> bool:
    """True when a Docker engine answers a ping within two seconds."""
    try:
        import docker
    except ImportError:
        return False
    try:
        client = docker.from_env(timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # any failure to reach an engine means "no engine", whatever its type
        return False
