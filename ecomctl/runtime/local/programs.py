"""The supervised programs of the local runtime's own processes: each service's web,
relay and consumers (run with this Python's environment) and the NGINX gateway."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from ecomctl.description.gateway_config import render_gateway_config
from ecomctl.description.stack_file import Service, Stack
from ecomctl.runtime import prerequisites
from ecomctl.runtime.components import Component, ComponentKind
from ecomctl.runtime.errors import PrerequisiteMissing, StartupFailed
from ecomctl.runtime.local.infrastructure import Infrastructure
from ecomctl.runtime.local.layout import StateLayout
from ecomctl.runtime.local.supervisor import Program
from ecomctl.runtime.service_processes import manage_command, process_command, service_environment

HOST = "127.0.0.1"


def resolve_executable(command: list[str]) -> list[str]:
    """`python` means this interpreter and other tools come from its environment first,
    so services run with the packages ecomctl was installed with."""
    first, rest = command[0], command[1:]
    if first in ("python", "python3"):
        return [sys.executable, *rest]
    beside_python = Path(sys.executable).parent / first
    found = str(beside_python) if beside_python.exists() else shutil.which(first)
    if not found:
        raise PrerequisiteMissing(first, f"pip install {first}")
    return [found, *rest]


def environment_for(
    stack: Stack, service: Service, infrastructure: Infrastructure, layout: StateLayout
) -> dict[str, str]:
    environment = service_environment(
        stack,
        service,
        address_of=lambda other: f"{HOST}:{other.port}",
        database_url=infrastructure.database_url(service),
        rabbitmq_url=infrastructure.service_rabbitmq_url(service),
        secret_key=layout.secret(f"django-{service.name}", 48),
    )
    # What services write to files (the readable copy of sent email) stays in the state
    # directory, never in the source tree, which need not even be writable.
    environment["EMAIL_FILE_PATH"] = str(layout.root / "sent-mail" / service.name)
    return environment


def service_directory(service: Service) -> Path:
    if not (service.directory / "manage.py").exists():
        raise StartupFailed(service.name, f"{service.directory / 'manage.py'} does not exist")
    return service.directory


def service_program(stack: Stack, component: Component, infrastructure: Infrastructure, layout: StateLayout) -> Program:
    service = stack.service(component.owner)
    return Program(
        name=component.name,
        command=resolve_executable(process_command(stack, component, host=HOST)),
        directory=service.directory,
        environment=environment_for(stack, service, infrastructure, layout),
    )


def manage_invocation(
    stack: Stack, service: Service, infrastructure: Infrastructure, layout: StateLayout, arguments: list[str]
) -> dict:
    """Keyword arguments for subprocess.run that run a management command of the service."""
    return {
        "args": resolve_executable(manage_command(arguments)),
        "cwd": service_directory(service),
        "env": {**os.environ, **environment_for(stack, service, infrastructure, layout)},
    }


def gateway_program(stack: Stack, layout: StateLayout) -> Program:
    nginx = prerequisites.find_binary("nginx")
    if nginx is None:
        raise PrerequisiteMissing("nginx", prerequisites.check((prerequisites.NGINX,))[0].install_command)
    upstreams = {service.name: (HOST, service.port) for service in stack.services}
    config = render_gateway_config(
        stack, upstreams=upstreams, listen=f"{HOST}:{stack.gateway.port}", runtime_dir=layout.gateway
    )
    config_file = layout.gateway / "nginx.conf"
    config_file.write_text(config)
    return Program(
        name="gateway",
        command=[
            nginx,
            "-c",
            str(config_file),
            "-p",
            str(layout.gateway),
            "-e",
            str(layout.gateway / "error.log"),
            "-g",
            "daemon off;",
        ],
        directory=layout.gateway,
        stop_signal="QUIT",  # graceful: lets requests in flight finish
    )


def local_programs(
    stack: Stack, components: list[Component], infrastructure: Infrastructure, layout: StateLayout
) -> list[Program]:
    programs = infrastructure.programs()
    for component in components:
        if component.kind in (ComponentKind.SERVICE, ComponentKind.RELAY, ComponentKind.CONSUMER):
            programs.append(service_program(stack, component, infrastructure, layout))
        elif component.kind is ComponentKind.GATEWAY:
            programs.append(gateway_program(stack, layout))
    return programs
