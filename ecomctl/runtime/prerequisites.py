"""Finds the host programs the runtimes need and, for each missing one, the command that
installs it on Debian/Ubuntu and on macOS (what `ecomctl doctor` prints)."""

from __future__ import annotations

import glob
import os
import platform
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ecomctl.runtime.errors import PrerequisiteMissing

# Debian keeps server binaries out of PATH.
EXTRA_SEARCH_DIRS = ("/usr/sbin", "/usr/local/sbin", "/opt/homebrew/bin", "/usr/local/bin")


@dataclass(frozen=True)
class Prerequisite:
    name: str
    purpose: str
    install: dict[str, str] = field(default_factory=dict)  # platform -> install command


@dataclass(frozen=True)
class PrerequisiteCheck:
    prerequisite: Prerequisite
    location: str | None  # where it was found; None when missing

    @property
    def found(self) -> bool:
        return self.location is not None

    @property
    def install_command(self) -> str:
        install = self.prerequisite.install
        return install.get(current_platform(), install.get("debian", ""))


PYTHON = Prerequisite(
    "python",
    "runs ecomctl and the services (3.11 or newer)",
    {"debian": "sudo apt-get install python3 python3-venv", "macos": "brew install python@3.11"},
)
NGINX = Prerequisite(
    "nginx", "the gateway (local runtime)", {"debian": "sudo apt-get install nginx", "macos": "brew install nginx"}
)
POSTGRES = Prerequisite(
    "postgres",
    "private PostgreSQL servers (local runtime, unless ECOMLAB_POSTGRES_URL is set)",
    {"debian": "sudo apt-get install postgresql", "macos": "brew install postgresql@16"},
)
RABBITMQ = Prerequisite(
    "rabbitmq-server",
    "a private RabbitMQ node (local runtime, unless ECOMLAB_RABBITMQ_URL is set)",
    {"debian": "sudo apt-get install rabbitmq-server", "macos": "brew install rabbitmq"},
)
DOCKER = Prerequisite(
    "docker", "the docker runtime", {"debian": "sudo apt-get install docker.io", "macos": "brew install --cask docker"}
)

DOCKER_ENGINE = Prerequisite(
    "docker engine",
    "the docker runtime: an engine that answers",
    {"debian": "sudo systemctl start docker (or: sudo dockerd &)", "macos": "open -a Docker"},
)

ALL = (PYTHON, NGINX, POSTGRES, RABBITMQ, DOCKER, DOCKER_ENGINE)
DOCKER_RUNTIME = (DOCKER, DOCKER_ENGINE)


def current_platform() -> str:
    return "macos" if platform.system() == "Darwin" else "debian"


def find_binary(name: str) -> str | None:
    search_path = os.pathsep.join([os.environ.get("PATH", ""), *EXTRA_SEARCH_DIRS])
    return shutil.which(name, path=search_path)


def postgres_bin_dir() -> Path | None:
    """The folder holding initdb and postgres: PATH first, then the newest Debian version."""
    on_path = find_binary("initdb")
    if on_path and find_binary("postgres"):
        return Path(on_path).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key, reverse=True)
    candidates += glob.glob("/opt/homebrew/opt/postgresql@*/bin/initdb")
    return Path(candidates[0]).parent if candidates else None


def rabbitmq_scripts_dir() -> Path | None:
    """Debian wraps rabbitmq-server in a script that insists on its own user and paths, so
    the real scripts are preferred."""
    debian = Path("/usr/lib/rabbitmq/bin")
    if (debian / "rabbitmq-server").exists():
        return debian
    found = find_binary("rabbitmq-server")
    return Path(found).resolve().parent if found else None


def _version_key(path: str) -> int:
    version = Path(path).parent.parent.name
    return int(version) if version.isdigit() else 0


def _locate(prerequisite: Prerequisite) -> str | None:
    if prerequisite is PYTHON:
        return sys.executable if sys.version_info >= (3, 11) else None
    if prerequisite is POSTGRES:
        directory = postgres_bin_dir()
        return str(directory) if directory else None
    if prerequisite is RABBITMQ:
        directory = rabbitmq_scripts_dir()
        return str(directory / "rabbitmq-server") if directory else None
    if prerequisite is DOCKER_ENGINE:
        return docker_engine_description()
    return find_binary(prerequisite.name)


def docker_engine_description() -> str | None:
    """'Docker 20.10.24, API 1.41' when an engine answers, else None."""
    try:
        import docker

        client = docker.from_env(timeout=2)
    except Exception:  # no SDK, or a DOCKER_HOST it cannot parse: no engine to talk to
        return None
    try:
        version = client.version()
        return f"Docker {version.get('Version', '?')}, API {version.get('ApiVersion', '?')}"
    except Exception:  # any failure to reach the engine means "not answering"
        return None
    finally:
        client.close()


def check(prerequisites: tuple[Prerequisite, ...] = ALL) -> list[PrerequisiteCheck]:
    return [PrerequisiteCheck(prerequisite, _locate(prerequisite)) for prerequisite in prerequisites]


def require(*prerequisites: Prerequisite) -> None:
    """Raise PrerequisiteMissing for the first one that is not installed."""
    for result in check(prerequisites):
        if not result.found:
            raise PrerequisiteMissing(result.prerequisite.name, result.install_command)
