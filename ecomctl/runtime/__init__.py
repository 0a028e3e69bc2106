"""Runtimes start, stop and break the stack; get_runtime() picks one by name.

base.Runtime            the interface (up, down, status, logs, kill/stop/start/...)
├── local.LocalRuntime  processes on loopback under supervisord
└── docker.DockerRuntime  containers on private networks, through the Docker SDK
"""

from __future__ import annotations

import importlib

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

# The runtimes this version ships, by name: module and class, imported only when chosen
# (the docker runtime needs the Docker SDK, the local one supervisord).
RUNTIMES = {
    "local": ("ecomctl.runtime.local.runtime", "LocalRuntime"),
    "docker": ("ecomctl.runtime.docker.runtime", "DockerRuntime"),
}
RUNTIME_NAMES = (*RUNTIMES, "auto")

__all__ = [
    "ComponentKind",
    "ComponentStatus",
    "ExternalServerError",
    "PortInUse",
    "PrerequisiteMissing",
    "Progress",
    "ProgressEvent",
    "RUNTIMES",
    "Runtime",
    "RuntimeProblem",
    "RuntimeUnavailable",
    "StackNotRunning",
    "StartupFailed",
    "StateDirectoryUnusable",
    "UnknownComponent",
    "docker_engine_answers",
    "get_runtime",
    "no_progress",
]


def get_runtime(name: str = "auto") -> Runtime:
    """A runtime by name; 'auto' is docker when an engine answers, local otherwise."""
    if name not in RUNTIME_NAMES:
        raise RuntimeUnavailable(f"There is no runtime named {name!r}.", f"Choose one of: {', '.join(RUNTIME_NAMES)}.")
    if name == "auto":
        name = "docker" if docker_engine_answers() else "local"
    module, class_name = RUNTIMES[name]
    return getattr(importlib.import_module(module), class_name)()


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
