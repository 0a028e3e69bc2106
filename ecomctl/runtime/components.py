"""The components a stack runs, named the same way by every runtime.

    rabbitmq, <service>-db ...      infra     (only when the runtime runs them itself)
    <service>-web                   service   (the web process, ready on its port)
    <service>-relay                 relay     (publishes the service's outbox, if it publishes)
    <service>-<consumer>            consumer  (one per stack.yaml `consumers` entry)
    gateway                         gateway   (NGINX, the public entry point)

A service's bare name (`payments`) stands for all of its processes at once, so
`kill payments` takes the whole service down the way a crashed host would.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ecomctl.description.stack_file import Service, Stack
from ecomctl.runtime.errors import UnknownComponent


class ComponentKind(str, Enum):
    INFRA = "infra"
    SERVICE = "service"
    RELAY = "relay"
    CONSUMER = "consumer"
    GATEWAY = "gateway"


@dataclass(frozen=True)
class Component:
    name: str
    kind: ComponentKind
    port: int | None = None
    service: str | None = None  # the owning service, for service, relay and consumer
    consumer: str | None = None  # the stack.yaml consumer name, for a consumer

    @property
    def owner(self) -> str:
        """The owning service, for a component that must have one."""
        if self.service is None:
            raise ValueError(f"{self.name} belongs to no service")
        return self.service


def postgres_port(stack: Stack, service: Service) -> int:
    return int(stack.infrastructure["postgres"]["base_port"]) + service.index


def infra_components(stack: Stack) -> list[Component]:
    rabbitmq = Component("rabbitmq", ComponentKind.INFRA, port=int(stack.infrastructure["rabbitmq"]["port"]))
    databases = [
        Component(f"{service.name}-db", ComponentKind.INFRA, port=postgres_port(stack, service), service=service.name)
        for service in stack.services
    ]
    return [rabbitmq, *databases]


def service_components(stack: Stack, service: Service) -> list[Component]:
    """The web process first: relay and consumers are started once it is ready."""
    return [
        Component(f"{service.name}-web", ComponentKind.SERVICE, port=service.port, service=service.name),
        *([Component(f"{service.name}-relay", ComponentKind.RELAY, service=service.name)] if service.publishes else []),
        *(
            Component(f"{service.name}-{consumer}", ComponentKind.CONSUMER, service=service.name, consumer=consumer)
            for consumer in service.consumers
        ),
    ]


def services_in_start_order(stack: Stack) -> list[Service]:
    """Each service after everything in its depends_on (stack.yaml order breaks ties)."""
    ordered: list[Service] = []
    visiting: set[str] = set()

    def visit(service: Service) -> None:
        if service in ordered:
            return
        if service.name in visiting:
            raise ValueError(f"stack.yaml depends_on has a cycle through {service.name!r}")
        visiting.add(service.name)
        for dependency in service.depends_on:
            visit(stack.service(dependency))
        visiting.discard(service.name)
        ordered.append(service)

    for service in stack.services:
        visit(service)
    return ordered


def service_start_waves(stack: Stack) -> list[list[Service]]:
    """Services grouped so that each wave depends only on earlier waves; the services of
    one wave can start at the same time."""
    level: dict[str, int] = {}
    for service in services_in_start_order(stack):
        level[service.name] = 1 + max((level[dependency] for dependency in service.depends_on), default=-1)
    waves: list[list[Service]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for service in services_in_start_order(stack):
        waves[level[service.name]].append(service)
    return waves


def stack_components(stack: Stack, *, with_infra: bool) -> list[Component]:
    """Every component in start order; stopping goes the other way."""
    infra = infra_components(stack) if with_infra else []
    services = [
        component for service in services_in_start_order(stack) for component in service_components(stack, service)
    ]
    gateway = Component("gateway", ComponentKind.GATEWAY, port=stack.gateway.port)
    return [*infra, *services, gateway]


def find_component(components: list[Component], name: str) -> Component:
    for component in components:
        if component.name == name:
            return component
    raise UnknownComponent(name, addressable_names(components))


def find_components(components: list[Component], name: str) -> list[Component]:
    """One component by its name, or all processes of a service by the service's name
    (web first, so relay and consumers start once it is ready)."""
    group = [
        component for component in components if component.service == name and component.kind is not ComponentKind.INFRA
    ]
    return group or [find_component(components, name)]


def addressable_names(components: list[Component]) -> list[str]:
    services = list(
        dict.fromkeys(component.owner for component in components if component.kind is ComponentKind.SERVICE)
    )
    return services + [component.name for component in components]
