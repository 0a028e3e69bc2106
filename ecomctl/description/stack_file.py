"""The stack description (stack.yaml) loaded into typed objects that runtimes and
renderers read; nothing else in ecomctl names a service."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STACK_FILE = PROJECT_ROOT / "stack.yaml"
# A copy of stack.yaml with other ports (or anything else) can stand in for it.
STACK_FILE_VARIABLE = "ECOMLAB_STACK_FILE"


@dataclass(frozen=True)
class Service:
    name: str
    port: int
    routes: tuple[str, ...]
    consumers: tuple[str, ...]
    depends_on: tuple[str, ...]
    publishes: bool  # has an outbox, so needs a relay
    index: int  # position in stack.yaml, used to derive per-service infrastructure ports

    @property
    def directory(self) -> Path:
        return PROJECT_ROOT / "services" / self.name

    @property
    def database(self) -> str:
        return f"ecomlab_{self.name}"


@dataclass(frozen=True)
class Gateway:
    port: int
    client_max_body_size: str
    rate_limits: dict
    health_path: str = "/gateway/health"


@dataclass(frozen=True)
class ServiceProcesses:
    """Command templates every runtime uses to run a service, run in its folder."""

    migrate: str = "python manage.py migrate --noinput"

    @property
    def migrate_arguments(self) -> list[str]:
        """The migrate command's arguments after `manage.py`."""
        words = self.migrate.split()
        return words[words.index("manage.py") + 1 :]

    web: str = (
        "gunicorn config.wsgi:application --bind {host}:{port} --workers 2 --preload "
        "--worker-class chassis.web_server.SyncWorker --limit-request-line 8190 --limit-request-fields 32768"
    )
    relay: str = "python manage.py relay_outbox"
    consumer: str = "python manage.py consume {consumer}"
    ready_path: str = "/health/ready/"


@dataclass(frozen=True)
class Stack:
    name: str
    gateway: Gateway
    services: tuple[Service, ...]
    infrastructure: dict
    events: dict
    images: dict = field(default_factory=dict)  # docker runtime: image names by role
    memory: dict = field(default_factory=dict)  # docker runtime: memory limit by role
    raw: dict = field(repr=False, default_factory=dict)
    processes: ServiceProcesses = ServiceProcesses()
    unsafe: tuple[str, ...] = ()  # teaching switches on (ecomctl.description.switches); none unless `up --unsafe`

    def service(self, name: str) -> Service:
        for service in self.services:
            if service.name == name:
                return service
        raise KeyError(name)

    def switched(self, unsafe: tuple[str, ...]) -> Stack:
        """The same stack, run with these teaching switches on."""
        return dataclasses.replace(self, unsafe=tuple(unsafe))

    @property
    def service_names(self) -> list[str]:
        return [service.name for service in self.services]


class StackFileError(Exception):
    """stack.yaml cannot be read or lacks something; the message says what and where."""


def load_stack(path: Path = STACK_FILE) -> Stack:
    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as error:
        raise StackFileError(
            f"Cannot read the stack file {path} ({error.strerror}). Check {STACK_FILE_VARIABLE} or restore stack.yaml."
        ) from None
    except yaml.YAMLError as error:
        raise StackFileError(f"{path} is not valid YAML: {error}".replace("\n", " ")) from None
    try:
        return _parse(raw)
    except KeyError as error:
        raise StackFileError(
            f"{path} lacks the key {error.args[0]!r}; compare it with the project's stack.yaml."
        ) from None
    except (TypeError, ValueError, AttributeError) as error:
        raise StackFileError(
            f"{path} has a value of the wrong kind ({error}); compare it with the project's stack.yaml."
        ) from None


def _parse(raw: dict) -> Stack:
    services = tuple(
        Service(
            name=name,
            port=int(spec["port"]),
            routes=tuple(spec.get("routes", [])),
            consumers=tuple(spec.get("consumers", [])),
            depends_on=tuple(spec.get("depends_on", [])),
            publishes=bool(spec.get("publishes", False)),
            index=index,
        )
        for index, (name, spec) in enumerate(raw["services"].items())
    )
    gateway = raw["gateway"]
    return Stack(
        name=raw["name"],
        gateway=Gateway(
            port=int(gateway["port"]),
            client_max_body_size=str(gateway["client_max_body_size"]),
            rate_limits=dict(gateway["rate_limits"]),
            health_path=str(gateway.get("health_path", Gateway.health_path)),
        ),
        services=services,
        infrastructure=dict(raw["infrastructure"]),
        events=dict(raw["events"]),
        images={key: str(value) for key, value in raw.get("images", {}).items()},
        memory={key: str(value) for key, value in raw.get("memory", {}).items()},
        raw=raw,
        processes=ServiceProcesses(**{key: str(value) for key, value in raw.get("processes", {}).items()}),
    )


@lru_cache(maxsize=1)
def default_stack() -> Stack:
    configured = os.environ.get(STACK_FILE_VARIABLE)
    return load_stack(Path(configured) if configured else STACK_FILE)
