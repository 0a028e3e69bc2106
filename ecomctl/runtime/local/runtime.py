"""The local runtime: every component a process on loopback under one supervisord, with
private (or given) PostgreSQL and RabbitMQ; it starts, stops and inspects one component,
and the shared plan (runtime/plan.py) brings the stack up."""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from ecomctl.description.stack_file import Service, Stack, default_stack
from ecomctl.runtime import prerequisites
from ecomctl.runtime.base import ComponentStatus, Progress, ProgressEvent, Runtime, no_progress
from ecomctl.runtime.components import Component, ComponentKind, find_component, stack_components
from ecomctl.runtime.cpu import process_tree_cpu_seconds
from ecomctl.runtime.errors import ManagementCommandFailed, StackNotRunning, StartupFailed
from ecomctl.runtime.local import schema_stamp
from ecomctl.runtime.local.infrastructure import Infrastructure
from ecomctl.runtime.local.layout import StateLayout
from ecomctl.runtime.local.logs import read_logs
from ecomctl.runtime.local.programs import HOST, local_programs, manage_invocation
from ecomctl.runtime.local.status import describe
from ecomctl.runtime.local.supervisor import Supervisor
from ecomctl.runtime.ports import ensure_ports_free
from ecomctl.runtime.readiness import HttpOk, ReadinessCheck

MIGRATE_TIMEOUT = 300
SUPERVISOR = "supervisord"


class LocalRuntime(Runtime):
    name = "local"

    def __init__(self, stack: Stack | None = None, layout: StateLayout | None = None):
        self.layout = layout or StateLayout.from_environment()
        self.state = self.layout  # the state directory, with the local runtime's files named
        self.stack = (stack or default_stack()).switched(self.layout.unsafe_switches())
        self.infrastructure = Infrastructure(self.stack, self.layout)
        self.supervisor = Supervisor(self.layout)
        self._restart_count_lock = threading.Lock()
        private = {"rabbitmq"} if self.infrastructure.private_rabbitmq else set()
        private |= {f"{name}-db" for name in self.infrastructure.private_postgres}
        self.components = [
            component
            for component in stack_components(self.stack, with_infra=True)
            if component.kind is not ComponentKind.INFRA or component.name in private
        ]

    def gateway_url(self) -> str:
        return f"http://{HOST}:{self.stack.gateway.port}"

    def broker_url(self) -> str:
        return self.infrastructure.rabbitmq_url

    def stack_is_running(self) -> bool:
        return self.supervisor.is_running()

    def cpu_seconds(self) -> dict[str, float]:
        roots = {name: info["pid"] for name, info in self.supervisor.all_info().items()}
        # supervisord itself carries every program's output into the log files.
        roots[SUPERVISOR] = int(self.layout.supervisor_pid_file.read_text().strip())
        return process_tree_cpu_seconds(roots, alone=frozenset({SUPERVISOR}))

    def prepare(self, progress: Progress) -> None:
        prerequisites.require(prerequisites.PYTHON, prerequisites.NGINX, *self.infrastructure.required())
        self.layout.create()
        gateway_config = self._gateway_config()
        programs = local_programs(self.stack, self.components, self.infrastructure, self.layout)
        if self.supervisor.is_running():
            # Harmless on a running stack, but a changed stack description takes effect.
            replaced = self.supervisor.apply(programs)
            for name in replaced:
                progress(ProgressEvent(name, "reconfigured"))
            if "gateway" not in replaced and self._gateway_config() != gateway_config:
                self.supervisor.signal_main_process("gateway", "HUP")  # NGINX reloads its config gracefully
        else:
            ensure_ports_free(self._ports())
            progress(ProgressEvent("stack", "preparing", f"state in {self.layout.root}"))
            self.infrastructure.prepare_private()
            self.supervisor.launch(programs)
            self.layout.reset_restarts()

    def databases_ready(self) -> None:
        self.infrastructure.create_databases()

    def broker_ready(self) -> None:
        self.infrastructure.prepare_broker()

    def _gateway_config(self) -> str | None:
        config = self.layout.gateway / "nginx.conf"
        return config.read_text() if config.exists() else None

    def down(self, volumes: bool = False, progress: Progress = no_progress) -> None:
        if self.supervisor.is_running():
            for component in reversed(self.components):
                progress(ProgressEvent(component.name, "stopping"))
                self.supervisor.stop(component.name)
            self.supervisor.shutdown()
        self.infrastructure.after_stop(volumes)
        if volumes:
            shutil.rmtree(self.layout.data, ignore_errors=True)
        progress(ProgressEvent("stack", "stopped", "data deleted" if volumes else "data kept"))

    def status(self) -> list[ComponentStatus]:
        running = self.supervisor.is_running()
        processes = self.supervisor.all_info() if running else {}
        restarts = self.layout.restarts()
        with ThreadPoolExecutor(max_workers=8) as pool:
            return list(
                pool.map(
                    lambda component: describe(
                        component,
                        processes.get(component.name),
                        self.readiness(component),
                        restarts.get(component.name, 0),
                    ),
                    self.components,
                )
            )

    def logs(
        self, component: str | None = None, follow: bool = False, grep: str | None = None
    ) -> Iterator[tuple[str, str]]:
        chosen = [find_component(self.components, component)] if component else self.components
        if follow and not self.supervisor.is_running():
            raise StackNotRunning()
        files = {item.name: [self.layout.log_file(item.name)] for item in chosen}
        if "gateway" in files:
            files["gateway"] += [self.layout.gateway / "access.log", self.layout.gateway / "error.log"]
        return read_logs(files, follow=follow, grep=grep)

    def kill(self, component: str) -> None:
        targets = self.targets(component)
        for target in targets:
            self.supervisor.signal_group(target.name, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while any(self.is_running(target) for target in targets) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self, component: str) -> None:
        for target in reversed(self.targets(component)):
            self.supervisor.stop(target.name)

    def pause(self, component: str) -> None:
        for target in self.targets(component):
            self.supervisor.signal_group(target.name, signal.SIGSTOP)

    def unpause(self, component: str) -> None:
        for target in self.targets(component):
            self.supervisor.signal_group(target.name, signal.SIGCONT)

    def internal_get(self, service: str, path: str) -> str:
        url = f"http://{HOST}:{self.stack.service(service).port}{path}"
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()

    def manage(self, service: str, arguments: list[str]) -> str:
        if not self.supervisor.is_running():
            raise StackNotRunning()
        invocation = manage_invocation(
            self.stack, self.stack.service(service), self.infrastructure, self.layout, arguments
        )
        result = subprocess.run(**invocation, capture_output=True, text=True, timeout=MIGRATE_TIMEOUT, check=False)
        if result.returncode != 0:
            raise ManagementCommandFailed(service, arguments, (result.stderr or result.stdout).strip())
        return result.stdout

    def _ports(self) -> dict[int, str]:
        ports = self.infrastructure.ports()
        for service in self.stack.services:
            ports[service.port] = f"services.{service.name}.port in stack.yaml"
        ports[self.stack.gateway.port] = "gateway.port in stack.yaml"
        return ports

    def is_running(self, component: Component) -> bool:
        return self.supervisor.info(component.name)["statename"] in ("RUNNING", "STARTING")

    def readiness(self, component: Component) -> ReadinessCheck | None:
        if component.kind is ComponentKind.INFRA:
            return self.infrastructure.readiness(component.name)
        if component.kind is ComponentKind.SERVICE:
            return HttpOk(f"http://{HOST}:{component.port}{self.stack.processes.ready_path}")
        if component.kind is ComponentKind.GATEWAY:
            return HttpOk(f"http://{HOST}:{component.port}{self.stack.gateway.health_path}")
        return None  # relays and consumers count as ready once supervisord sees them running

    def launch(self, component: Component) -> None:
        if component.port:
            ensure_ports_free({component.port: self._ports().get(component.port, "stack.yaml")})
        started_before = self.supervisor.info(component.name)["start"]
        self.supervisor.start(component.name)
        if started_before:
            with self._restart_count_lock:
                self.layout.count_restart(component.name)

    def log_hint(self, component: Component) -> str | None:
        return str(self.layout.log_file(component.name))

    def migrate(self, service: Service, progress: Progress) -> None:
        web = f"{service.name}-web"
        database_url = self.infrastructure.database_url(service)
        digest = schema_stamp.migrations_digest(service.directory)
        if schema_stamp.is_current(database_url, digest):
            progress(ProgressEvent(web, "migrating", "nothing to apply"))
            return
        progress(ProgressEvent(web, "migrating"))
        log_file = self.layout.logs / f"{web}-migrate.log"
        with log_file.open("w") as log:
            result = subprocess.run(
                **manage_invocation(
                    self.stack, service, self.infrastructure, self.layout, self.stack.processes.migrate_arguments
                ),
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=MIGRATE_TIMEOUT,
                check=False,
            )
        if result.returncode != 0:
            raise StartupFailed(web, "its database migrations failed", str(log_file))
        schema_stamp.stamp(database_url, digest)
