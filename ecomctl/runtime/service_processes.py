"""What every runtime runs for a service: the command of each process (from stack.yaml
`processes`) and the environment the Django project reads."""

from __future__ import annotations

import shlex
from collections.abc import Callable

from ecomctl.description.stack_file import PROJECT_ROOT, Service, Stack
from ecomctl.runtime.components import Component, ComponentKind

JWKS_PATH = "/auth/.well-known/jwks.json"
IDENTITY_SERVICE = "auth"
UNSAFE_VARIABLE = "ECOMLAB_UNSAFE"  # read by chassis.switches


def process_command(stack: Stack, component: Component, *, host: str) -> list[str]:
    service = stack.service(component.owner)
    templates = {
        ComponentKind.SERVICE: stack.processes.web,
        ComponentKind.RELAY: stack.processes.relay,
        ComponentKind.CONSUMER: stack.processes.consumer,
    }
    return shlex.split(templates[component.kind].format(host=host, port=service.port, consumer=component.consumer))


def manage_command(arguments: list[str]) -> list[str]:
    return ["python", "manage.py", *arguments]


def service_environment(
    stack: Stack,
    service: Service,
    *,
    address_of: Callable[[Service], str],
    database_url: str,
    rabbitmq_url: str | None,
    secret_key: str,
    contracts_dir: str = str(PROJECT_ROOT / "contracts"),
) -> dict[str, str]:
    """`address_of` gives the host:port another service is reached at in this runtime.
    Each dependency other than auth is announced as <NAME>_URL (CATALOG_URL for orders).
    `rabbitmq_url` signs in with the service's own broker account; a service without
    events has none and is given no broker at all."""
    auth = stack.service(IDENTITY_SERVICE)
    environment = {
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": secret_key,
        # The gateway forwards the client's Host; services call each other by <name>-web.
        "DJANGO_ALLOWED_HOSTS": f"127.0.0.1,localhost,{service.name},{service.name}-web",
        "PORT": str(service.port),
        "AUTH_JWKS_URL": f"http://{address_of(auth)}{JWKS_PATH}",
        "EVENT_CONTRACTS_DIR": contracts_dir,
        "EVENTS_EXCHANGE": stack.events["exchange"],
        "EVENTS_DEAD_LETTER_EXCHANGE": stack.events["dead_letter_exchange"],
        "EVENTS_UNROUTED_EXCHANGE": stack.events["unrouted_exchange"],
        "EVENTS_DELIVERY_LIMIT": str(stack.events["delivery_limit"]),
        "EVENTS_RETRY_MAX_DELAY": str(stack.events["retry_max_delay"]),
        "PYTHONUNBUFFERED": "1",
    }
    if rabbitmq_url:
        environment["RABBITMQ_URL"] = rabbitmq_url
    if stack.unsafe:
        environment[UNSAFE_VARIABLE] = ",".join(stack.unsafe)
    for dependency in service.depends_on:
        if dependency != IDENTITY_SERVICE:
            environment[f"{dependency.upper()}_URL"] = f"http://{address_of(stack.service(dependency))}"
    return environment
