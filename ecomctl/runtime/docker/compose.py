"""Renders compose/docker-compose.yml (and the gateway config it mounts) from the same
container design the docker runtime uses, so `docker compose up --build` runs the same
stack: the same networks, health checks, limits and loopback ports.

Passwords are compose variables with development defaults (`${AUTH_DB_PASSWORD:-...}`):
each service still has its own, and anyone can set real ones in the environment or a
.env file. The broker's accounts are the exception: the broker loads them, hashed, from
rabbitmq-definitions.json, which compose cannot fill in, so their development passwords
are written out (each service still has its own account). Format 2.4 is read by Compose v2
and by docker-compose 1.29 alike.
"""

from __future__ import annotations

import yaml

from ecomctl.description.stack_file import Stack
from ecomctl.runtime import broker_accounts
from ecomctl.runtime.docker.containers import (
    DEFINITIONS_CONFIG,
    DEFINITIONS_FILE,
    SERVICE_ROLE_SCRIPT,
    ContainerSpec,
    StackDesign,
    design,
)
from ecomctl.runtime.docker.images import DOCKERFILE, IMAGE_ROLES, ImageSet, image_variable
from ecomctl.runtime.docker.naming import COMPONENT_LABEL, STACK_LABEL

COMPOSE_DIR = "compose"
COMPOSE_FILE = "docker-compose.yml"
GATEWAY_CONFIG = "nginx.conf"
BROKER_DEFINITIONS = "rabbitmq-definitions.json"
BROKER_CONFIG = "rabbitmq-definitions.conf"
DATABASE_SETUP = "postgres-service-role.sh"
# What each generated file is mounted as.
MOUNTED_FILES = {
    "/etc/nginx/nginx.conf": GATEWAY_CONFIG,
    DEFINITIONS_FILE: BROKER_DEFINITIONS,
    DEFINITIONS_CONFIG: BROKER_CONFIG,
    SERVICE_ROLE_SCRIPT: DATABASE_SETUP,
}
HEADER = "# Generated from stack.yaml by `ecomctl compose export`; edit stack.yaml instead.\n"


def compose_secret(name: str) -> str:
    if name.startswith(broker_accounts.SECRET_PREFIX):
        return f"{name}-dev-only"
    variable = name.upper().replace("-", "_")
    return f"${{{variable}:-{name}-dev-only}}"


def render_compose(stack: Stack) -> dict[str, str]:
    """{file name in compose/: content}."""
    # The pinned images of stack.yaml, whatever this shell's ECOMLAB_*_IMAGE say: the same
    # settings override them when compose reads the file.
    images = ImageSet(
        **{role: f"${{{image_variable(role)}:-{stack.images[role]}}}" for role in IMAGE_ROLES},
        service_tags={service.name: f"{stack.name}/{service.name}:compose" for service in stack.services},
    )
    stack_design = design(stack, images, compose_secret)
    document = {
        "version": "2.4",
        "services": _services(stack, stack_design, images.python),
        "networks": {
            name: {"internal": internal, "labels": {STACK_LABEL: stack.name}}
            if internal
            else {"labels": {STACK_LABEL: stack.name}}
            for name, internal in stack_design.networks.items()
        },
        "volumes": {volume: {"labels": {STACK_LABEL: stack.name}} for volume in stack_design.volumes},
    }
    text = HEADER + yaml.safe_dump(document, sort_keys=False, width=120)
    mounted = {MOUNTED_FILES[path]: content for spec in stack_design.containers for path, content in spec.files.items()}
    return {COMPOSE_FILE: text, **mounted}


def _services(stack: Stack, stack_design: StackDesign, python_image: str) -> dict:
    services = {}
    for spec in stack_design.containers:
        if spec.service and spec.kind == "service":
            migration = stack_design.migrations[spec.service]
            services[migration.name] = _service(
                stack, migration, python_image, {f"{spec.service}-db": "service_healthy"}
            )
        services[spec.name] = _service(stack, spec, python_image, _depends_on(stack, spec))
    return services


def _depends_on(stack: Stack, spec: ContainerSpec) -> dict[str, str]:
    if spec.kind == "gateway":
        return {f"{service.name}-web": "service_healthy" for service in stack.services}
    if spec.kind == "service":
        service = stack.service(spec.owner)
        return {
            f"{spec.service}-db": "service_healthy",
            f"{spec.service}-migrate": "service_completed_successfully",
            "rabbitmq": "service_healthy",
            **{f"{dependency}-web": "service_healthy" for dependency in service.depends_on},
        }
    if spec.kind in ("relay", "consumer"):
        return {f"{spec.service}-web": "service_healthy"}
    return {}


def _service(stack: Stack, spec: ContainerSpec, python_image: str, depends_on: dict[str, str]) -> dict:
    service: dict = {"image": spec.image}
    if spec.image.startswith(f"{stack.name}/"):  # a service image, built from services/Dockerfile
        service["build"] = {
            "context": "..",
            "dockerfile": DOCKERFILE,
            "args": {"SERVICE": spec.service, "PYTHON_IMAGE": python_image},
        }
    if spec.command:
        service["command"] = list(spec.command)
    if spec.hostname:
        service["hostname"] = spec.hostname
    if spec.environment:
        service["environment"] = dict(spec.environment)
    service["networks"] = list(spec.networks)
    if spec.ports:
        service["ports"] = [f"127.0.0.1:{host}:{port}" for port, host in spec.ports.items()]
    volumes = [f"{volume}:{path}" for volume, path in spec.volumes.items()]
    volumes += [f"./{MOUNTED_FILES[path]}:{path}:ro" for path in spec.files]
    if volumes:
        service["volumes"] = volumes
    if depends_on:
        service["depends_on"] = {name: {"condition": condition} for name, condition in depends_on.items()}
    if spec.health:
        service["healthcheck"] = {
            "test": ["CMD", *spec.health.test],
            "interval": f"{spec.health.interval:g}s",
            "timeout": f"{spec.health.timeout:g}s",
            "retries": spec.health.retries,
            "start_period": f"{spec.health.start_period:g}s",
        }
    service["init"] = True
    service["mem_limit"] = spec.memory
    service["security_opt"] = ["no-new-privileges:true"]
    if spec.unprivileged:
        service["cap_drop"] = ["ALL"]
    if spec.stop_signal:
        service["stop_signal"] = spec.stop_signal
    service["restart"] = "no"
    service["labels"] = {STACK_LABEL: stack.name, COMPONENT_LABEL: spec.name}
    return service
