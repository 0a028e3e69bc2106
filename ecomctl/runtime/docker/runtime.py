"""The docker runtime: starts, stops and inspects one container per component; the shared
plan (runtime/plan.py) brings the stack up. Every container comes from the stack's design
(containers.py) and is recreated only when its spec changed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cached_property

from ecomctl.description.stack_file import Service, Stack, default_stack
from ecomctl.runtime.base import ComponentStatus, Progress, ProgressEvent, Runtime, no_progress
from ecomctl.runtime.components import Component, ComponentKind, find_component, stack_components
from ecomctl.runtime.docker import containers
from ecomctl.runtime.docker.build import ensure_images
from ecomctl.runtime.docker.containers import POSTGRES_PORT, StackDesign, design, management_spec
from ecomctl.runtime.docker.engine import CONFIG_LABEL, Engine, config_hash
from ecomctl.runtime.docker.images import image_set
from ecomctl.runtime.docker.logs import read_container_logs
from ecomctl.runtime.docker.naming import COMPONENT_LABEL, KIND_LABEL
from ecomctl.runtime.docker.wheelhouse import wheelhouse_cache
from ecomctl.runtime.errors import ManagementCommandFailed, RuntimeProblem, StartupFailed
from ecomctl.runtime.ports import ensure_ports_free
from ecomctl.runtime.readiness import AmqpConnects, HttpOk, ReadinessCheck
from ecomctl.runtime.state import StateDirectory

HOST = "127.0.0.1"
STOP_TIMEOUT = 10
NEVER_STARTED = "0001-01-01T00:00:00Z"
STATES = {
    "running": "running",
    "paused": "paused",
    "restarting": "starting",
    "created": "stopped",
    "exited": "exited",
    "dead": "failed",
    "removing": "stopping",
}


class LostDatabasePassword(RuntimeProblem):
    def __init__(self, volume: str, state: str):
        super().__init__(
            f"The data volume {volume} exists, but its password is not in the state directory {state}.",
            "Use the state directory the stack was started with (ECOMLAB_STATE_DIR), or delete the data "
            "with `ecomctl down --runtime docker --volumes`.",
        )


class HealthProbe:
    """Ready when the container's own health check passes, run now through `exec` rather
    than waited for at the engine's next interval."""

    description = "its health check passing"

    def __init__(self, engine: Engine, component: str):
        self.engine, self.component = engine, component

    def is_ready(self) -> bool:
        import docker.errors

        container = self.engine.container(self.component)
        if container is None or container.status != "running":
            return False
        test = container.attrs["Config"].get("Healthcheck", {}).get("Test", [])
        if test[:1] != ["CMD"]:
            return False
        try:
            return container.exec_run(test[1:]).exit_code == 0
        except docker.errors.APIError:  # the container stopped meanwhile
            return False


class DockerRuntime(Runtime):
    name = "docker"

    def __init__(self, stack: Stack | None = None, state: StateDirectory | None = None):
        self.state = state or StateDirectory.from_environment()
        self.stack = (stack or default_stack()).switched(self.state.unsafe_switches())
        self.components = stack_components(self.stack, with_infra=True)

    @cached_property
    def engine(self) -> Engine:
        return Engine(self.stack)

    def secret(self, name: str) -> str:
        return self.state.secret(self._secret_name(name), 24)

    def _secret_name(self, name: str) -> str:
        return f"docker-{self.stack.name}-{name}"

    @cached_property
    def design(self) -> StackDesign:
        return design(self.stack, image_set(self.stack), self.secret)

    def gateway_url(self) -> str:
        return f"http://{HOST}:{self.stack.gateway.port}"

    def broker_url(self) -> str:
        return containers.broker_url(
            self.stack, self.secret, host=HOST, port=int(self.stack.infrastructure["rabbitmq"]["port"])
        )

    def cpu_seconds(self) -> dict[str, float]:
        """From each running container's cgroup, read through the engine's stats."""
        running = [container for container in self.engine.containers() if container.status == "running"]
        with ThreadPoolExecutor(max_workers=8) as pool:
            used = list(pool.map(self.engine.cpu_seconds, running))
        return {
            container.labels.get(COMPONENT_LABEL, container.name): seconds
            for container, seconds in zip(running, used, strict=True)
        }

    # The primitives of the start plan.

    def stack_is_running(self) -> bool:
        return bool(self.engine.containers())

    def prepare(self, progress: Progress) -> None:
        engine = self.engine
        self._refuse_volumes_without_passwords()
        was_running = self.stack_is_running()
        current = {spec.name: engine.container(spec.name) for spec in self.design.containers}
        changed = [
            spec
            for spec in self.design.containers
            if current[spec.name] is None or current[spec.name].labels.get(CONFIG_LABEL) != config_hash(spec)
        ]
        # Before anything is created: a taken loopback port is one clear sentence, not a
        # half-made stack.
        ensure_ports_free(
            {
                port: f"the {spec.name} port in stack.yaml"
                for spec in changed
                if current[spec.name] is None or current[spec.name].status != "running"
                for port in spec.ports.values()
            }
        )
        ensure_images(engine.client, self.stack, image_set(self.stack), wheelhouse_cache(), progress)
        for network, internal in self.design.networks.items():
            engine.ensure_network(network, internal)
        for volume in self.design.volumes:
            engine.ensure_volume(volume)
        for spec in changed:
            if current[spec.name] is not None:
                progress(ProgressEvent(spec.name, "reconfigured"))
                current[spec.name].remove(force=True)
            engine.create(spec)
        if not was_running:
            self.state.reset_restarts()

    def _refuse_volumes_without_passwords(self) -> None:
        existing = {volume.name for volume in self.engine.volumes()}
        for service in self.stack.services:
            volume = f"{self.stack.name}-{service.name}-db-data"
            if volume in existing and not self.state.has_secret(self._secret_name(f"{service.name}-db-password")):
                raise LostDatabasePassword(volume, str(self.state.root))

    def is_running(self, component: Component) -> bool:
        container = self.engine.container(component.name)
        return container is not None and container.status in ("running", "paused", "restarting")

    def launch(self, component: Component) -> None:
        container = self.engine.container(component.name)
        if container is None:
            raise StartupFailed(component.name, "its container does not exist; run `ecomctl up`")
        if container.attrs["State"].get("StartedAt", NEVER_STARTED) != NEVER_STARTED:
            self.state.count_restart(component.name)
        self.engine.start(container, self.design.container(component.name).ports)

    def readiness(self, component: Component) -> ReadinessCheck | None:
        if component.name == "rabbitmq":
            return AmqpConnects(self.broker_url())
        if component.kind is ComponentKind.GATEWAY:
            return HttpOk(f"{self.gateway_url()}{self.stack.gateway.health_path}")
        # Databases, web processes, and relays and consumers once connected (their heartbeat).
        return HealthProbe(self.engine, component.name)

    def migrate(self, service: Service, progress: Progress) -> None:
        web = f"{service.name}-web"
        progress(ProgressEvent(web, "migrating"))
        status, output = self.engine.run_once(self.design.migrations[service.name])
        if status != 0:
            last = output.strip().splitlines()[-1] if output.strip() else f"exit code {status}"
            raise StartupFailed(web, f"its database migrations failed ({last})")

    def log_hint(self, component: Component) -> str | None:
        return None  # StartupFailed then points at `ecomctl logs`

    # The rest of the interface.

    def down(self, volumes: bool = False, progress: Progress = no_progress) -> None:
        engine = self.engine
        order = {component.name: index for index, component in enumerate(self.components)}
        present = sorted(
            engine.containers(), key=lambda container: -order.get(container.labels.get(COMPONENT_LABEL, ""), len(order))
        )
        # Stop the gateway first and the infrastructure last, the rest together.
        first = [c for c in present if c.labels.get(KIND_LABEL) == ComponentKind.GATEWAY.value]
        last = [c for c in present if c.labels.get(KIND_LABEL) == ComponentKind.INFRA.value]
        middle = [c for c in present if c not in first and c not in last]
        for group in (first, middle, last):
            for container in group:
                progress(ProgressEvent(container.labels.get(COMPONENT_LABEL, container.name), "stopping"))
            _all_at_once(
                lambda container: (
                    container.remove(force=True)
                    if container.status != "running"
                    else (container.stop(timeout=STOP_TIMEOUT), container.remove(force=True))
                ),
                group,
            )
        for network in engine.networks():
            network.remove()
        if volumes:
            for volume in engine.volumes():
                volume.remove(force=True)
            self.state.forget_secrets(self._secret_name(""))
        progress(ProgressEvent("stack", "stopped", "data deleted" if volumes else "data kept"))

    def status(self) -> list[ComponentStatus]:
        present = {container.labels.get(COMPONENT_LABEL): container for container in self.engine.containers()}
        restarts = self.state.restarts()
        return [
            self._describe(component, present.get(component.name), restarts.get(component.name, 0))
            for component in self.components
        ]

    def _describe(self, component: Component, container, restarts: int) -> ComponentStatus:
        if container is None:
            return ComponentStatus(component.name, component.kind, "down", False, None, 0, None)
        state = container.attrs["State"]
        status = STATES.get(container.status, "failed")
        health = state.get("Health", {}).get("Status")
        if health == "starting":  # the engine has not probed it yet: probe it now
            health = "healthy" if HealthProbe(self.engine, component.name).is_ready() else "starting"
        healthy = status == "running" and (health == "healthy" if health else True)
        pid = state.get("Pid") or None
        return ComponentStatus(
            component.name,
            component.kind,
            status,
            healthy,
            self._address(component),
            restarts,
            pid if status in ("running", "paused") else None,
        )

    def _address(self, component: Component) -> str | None:
        if component.name == "rabbitmq":
            return f"{HOST}:{self.stack.infrastructure['rabbitmq']['port']}"
        if component.kind is ComponentKind.GATEWAY:
            return f"{HOST}:{self.stack.gateway.port}"
        if component.kind is ComponentKind.INFRA:
            return f"{component.name}:{POSTGRES_PORT}"
        if component.kind is ComponentKind.SERVICE:
            return f"{component.name}:{component.port}"
        return None

    def logs(
        self, component: str | None = None, follow: bool = False, grep: str | None = None
    ) -> Iterator[tuple[str, str]]:
        chosen = [find_component(self.components, component)] if component else self.components
        present = {name: self.engine.container(name) for name in (item.name for item in chosen)}
        if follow and not self.stack_is_running():
            from ecomctl.runtime.errors import StackNotRunning

            raise StackNotRunning()
        return read_container_logs(
            {name: container for name, container in present.items() if container}, follow=follow, grep=grep
        )

    def kill(self, component: str) -> None:
        targets = [self.engine.container(target.name) for target in self.targets(component)]
        running = [container for container in targets if container is not None and container.status == "running"]
        _all_at_once(lambda container: container.kill(), running)
        deadline = time.monotonic() + 10
        for container in running:
            while time.monotonic() < deadline:
                container.reload()
                if container.status != "running":
                    break
                time.sleep(0.05)

    def stop(self, component: str) -> None:
        for target in reversed(self.targets(component)):
            container = self.engine.container(target.name)
            if container is not None and container.status in ("running", "paused", "restarting"):
                if container.status == "paused":
                    container.unpause()
                container.stop(timeout=STOP_TIMEOUT)

    def pause(self, component: str) -> None:
        for target in self.targets(component):
            container = self.engine.container(target.name)
            if container is not None and container.status == "running":
                container.pause()

    def unpause(self, component: str) -> None:
        for target in self.targets(component):
            container = self.engine.container(target.name)
            if container is not None and container.status == "paused":
                container.unpause()

    def internal_get(self, service: str, path: str) -> str:
        # Service ports are not published: ask from inside the service's own container.
        probe = (
            "import os,sys,urllib.request\n"
            f"sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:'+os.environ['PORT']+'{path}',"
            "timeout=5).read().decode())"
        )
        container = self.engine.container(f"{service}-web")
        if container is None or container.status != "running":
            raise StartupFailed(f"{service}-web", "it is not running")
        result = container.exec_run(["python3", "-c", probe])
        if result.exit_code != 0:
            raise StartupFailed(f"{service}-web", f"GET {path} failed: {result.output.decode(errors='replace')[-200:]}")
        return result.output.decode()

    def manage(self, service: str, arguments: list[str]) -> str:
        if not self.stack_is_running():
            from ecomctl.runtime.errors import StackNotRunning

            raise StackNotRunning()
        # The image the service runs now, whatever the image settings of this shell say.
        web = self.engine.container(f"{service}-web")
        images = image_set(self.stack)
        if web is not None:
            images.service_tags[service] = web.attrs["Config"]["Image"]
        spec = management_spec(self.stack, service, arguments, images, self.secret)
        status, output = self.engine.run_once(spec)
        if status != 0:
            raise ManagementCommandFailed(service, arguments, output.strip())
        return output


def _all_at_once(function, items) -> None:
    items = list(items)
    if not items:
        return
    with ThreadPoolExecutor(max_workers=len(items)) as pool:
        for future in [pool.submit(function, item) for item in items]:
            future.result()
