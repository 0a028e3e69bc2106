"""The Docker engine as the docker runtime uses it: connect with a clear error, create a
container from a ContainerSpec (labels, networks, limits, health check, hardening), run a
one-off container, and find a stack's things by label. Nothing here knows the stack's
layout; that is containers.py."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import asdict

from ecomctl.description.stack_file import Stack
from ecomctl.runtime.docker.containers import ContainerSpec
from ecomctl.runtime.docker.naming import (
    COMPONENT_LABEL,
    CONFIG_LABEL,
    KIND_LABEL,
    STACK_LABEL,
    container_name,
    network_name,
    stack_filter,
    stack_labels,
    volume_name,
)
from ecomctl.runtime.errors import PortInUse, RuntimeProblem, RuntimeUnavailable

NANOSECONDS = 1_000_000_000
ONE_OFF_TIMEOUT = 300


class ImageUnavailable(RuntimeProblem):
    def __init__(self, image: str, variable: str):
        super().__init__(
            f"The image {image} is not on this machine and cannot be pulled (no registry answers).",
            f"Build local stand-ins with `make offline-images` and export the settings it prints ({variable}, ...), "
            "load an archive with `ecomctl images import FILE`, or use --runtime local.",
        )


class EngineError(RuntimeProblem):
    def __init__(self, action: str, explanation: str):
        super().__init__(f"Docker could not {action}: {explanation}.", "Check `docker info` and run the command again.")


def connect():
    """A Docker SDK client, or RuntimeUnavailable saying how to get an engine."""
    try:
        import docker
    except ImportError:
        raise RuntimeUnavailable(
            "The Docker SDK for Python is not installed.", "Install ecomctl again (pip install -e .)."
        ) from None
    client = None
    try:
        client = docker.from_env(timeout=120)
        client.ping()
        return client
    except Exception as error:  # a missing socket, a refused connection, a bad DOCKER_HOST alike
        if client is not None:
            client.close()
        raise RuntimeUnavailable(
            f"No Docker engine answers ({type(error).__name__}).",
            "Start Docker (Docker Desktop, `sudo systemctl start docker` or `sudo dockerd &`) or use --runtime local.",
        ) from None


@contextlib.contextmanager
def connected() -> Iterator:
    """A client for one command, closed when it is done."""
    client = connect()
    try:
        yield client
    finally:
        client.close()


def image_present(client, name: str) -> bool:
    import docker.errors

    try:
        client.images.get(name)
        return True
    except docker.errors.ImageNotFound:
        return False


def config_hash(spec: ContainerSpec) -> str:
    return hashlib.sha256(json.dumps(asdict(spec), sort_keys=True).encode()).hexdigest()[:16]


class Engine:
    def __init__(self, stack: Stack, client=None):
        self.stack = stack
        self.client = client or connect()

    # Finding the stack's things.

    def container(self, component: str):
        import docker.errors

        try:
            return self.client.containers.get(container_name(self.stack, component))
        except docker.errors.NotFound:
            return None

    def containers(self) -> list:
        return self.client.containers.list(all=True, filters=stack_filter(self.stack))

    def cpu_seconds(self, container) -> float:
        """User plus system seconds the container's processes have used (one-shot stats)."""
        import docker.errors

        try:
            stats = container.stats(stream=False, one_shot=True)
        except docker.errors.APIError:
            return 0.0  # it stopped meanwhile
        return stats.get("cpu_stats", {}).get("cpu_usage", {}).get("total_usage", 0) / 1e9

    def networks(self) -> list:
        return self.client.networks.list(filters=stack_filter(self.stack))

    def volumes(self) -> list:
        return self.client.volumes.list(filters=stack_filter(self.stack))

    # Creating them.

    def ensure_network(self, name: str, internal: bool) -> None:
        full = network_name(self.stack, name)
        if not self.client.networks.list(names=[full]):
            self.client.networks.create(full, driver="bridge", internal=internal, labels=stack_labels(self.stack))

    def ensure_volume(self, name: str) -> bool:
        """True when the volume already held data from an earlier `up`."""
        import docker.errors

        full = volume_name(self.stack, name)
        try:
            self.client.volumes.get(full)
            return True
        except docker.errors.NotFound:
            self.client.volumes.create(full, labels=stack_labels(self.stack))
            return False

    def create(self, spec: ContainerSpec):
        """A container (not started) from the spec, joined to all its networks."""
        api = self.client.api
        aliases = [spec.name]
        first, *others = spec.networks
        host_config = api.create_host_config(
            port_bindings={port: ("127.0.0.1", host_port) for port, host_port in spec.ports.items()},
            binds={
                volume_name(self.stack, volume): {"bind": path, "mode": "rw"} for volume, path in spec.volumes.items()
            },
            mem_limit=spec.memory,
            init=True,  # tini as PID 1: signals reach the process, zombies are reaped
            security_opt=["no-new-privileges:true"],
            cap_drop=["ALL"] if spec.unprivileged else None,
            restart_policy={"Name": "no"},  # a killed component stays down until started: that is the lesson
        )
        created = api.create_container(
            image=spec.image,
            name=container_name(self.stack, spec.name),
            command=list(spec.command) if spec.command else None,
            environment=spec.environment,
            hostname=spec.hostname,
            labels=stack_labels(self.stack, component=spec.name, kind=spec.kind, config_hash=config_hash(spec)),
            ports=list(spec.ports),
            healthcheck=_healthcheck(spec),
            stop_signal=spec.stop_signal,
            host_config=host_config,
            networking_config=api.create_networking_config(
                {network_name(self.stack, first): api.create_endpoint_config(aliases=aliases)}
            ),
        )
        for network in others:
            api.connect_container_to_network(created["Id"], network_name(self.stack, network), aliases=aliases)
        container = self.client.containers.get(created["Id"])
        for path, content in spec.files.items():
            folder, _, name = path.rpartition("/")
            container.put_archive(folder or "/", _single_file_tar(name, content))
        return container

    def start(self, container, ports: dict[int, int]) -> None:
        import docker.errors

        try:
            container.start()
        except docker.errors.APIError as error:
            explanation = str(error.explanation or error)
            taken = next((port for port in ports.values() if f":{port}" in explanation), None)
            if (
                taken is not None
                or "port is already allocated" in explanation
                or "address already in use" in explanation
            ):
                port = taken or next(iter(ports.values()), 0)
                raise PortInUse(
                    port, None, "its setting in stack.yaml (gateway.port, infrastructure.rabbitmq.*)"
                ) from None
            raise EngineError(f"start {container.name}", explanation) from None

    def run_once(self, spec: ContainerSpec, on_line: Callable[[str], None] = lambda line: None) -> tuple[int, str]:
        """Run the spec's command to the end in a fresh container; (exit code, output)."""
        stale = self.container(spec.name)
        if stale is not None:
            stale.remove(force=True)
        container = self.create(spec)
        try:
            container.start()
            result = container.wait(timeout=ONE_OFF_TIMEOUT)
            output = container.logs(stdout=True, stderr=True).decode(errors="replace")
            for line in output.splitlines():
                on_line(line)
            return int(result.get("StatusCode", 1)), output
        finally:
            container.remove(force=True)


def component_of(container) -> str:
    return container.labels.get(COMPONENT_LABEL, container.name)


def is_ours(container, stack: Stack) -> bool:
    return container.labels.get(STACK_LABEL) == stack.name and KIND_LABEL in container.labels


def _healthcheck(spec: ContainerSpec) -> dict | None:
    if spec.health is None:
        return None
    return {
        "test": ["CMD", *spec.health.test],
        "interval": int(spec.health.interval * NANOSECONDS),
        "timeout": int(spec.health.timeout * NANOSECONDS),
        "retries": spec.health.retries,
        "start_period": int(spec.health.start_period * NANOSECONDS),
    }


def _single_file_tar(name: str, content: str) -> bytes:
    data = content.encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo(name)
        info.size, info.mode = len(data), 0o644
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


__all__ = [
    "CONFIG_LABEL",
    "Engine",
    "EngineError",
    "ImageUnavailable",
    "component_of",
    "config_hash",
    "connect",
    "connected",
    "image_present",
]
