"""The local runtime's PostgreSQL and RabbitMQ, private or given by URL, behind one
interface: what to supervise, how to tell it is ready, and the URLs services get."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from ecomctl.description.stack_file import Service, Stack
from ecomctl.runtime import prerequisites
from ecomctl.runtime.local.accounts import infra_account
from ecomctl.runtime.local.layout import StateLayout
from ecomctl.runtime.local.postgres import ExternalPostgres, PrivatePostgres
from ecomctl.runtime.local.rabbitmq import ExternalRabbitMQ, PrivateRabbitMQ
from ecomctl.runtime.local.supervisor import Program
from ecomctl.runtime.readiness import AmqpConnects, PostgresAnswers, ReadinessCheck

POSTGRES_URL_VARIABLE = "ECOMLAB_POSTGRES_URL"
RABBITMQ_URL_VARIABLE = "ECOMLAB_RABBITMQ_URL"


class Infrastructure:
    def __init__(self, stack: Stack, layout: StateLayout):
        self.stack = stack
        self.layout = layout
        postgres_url = os.environ.get(POSTGRES_URL_VARIABLE)
        rabbitmq_url = os.environ.get(RABBITMQ_URL_VARIABLE)
        self.external_postgres = ExternalPostgres(postgres_url, layout) if postgres_url else None
        postgres_account = infra_account("postgres")
        self.private_postgres = (
            {}
            if postgres_url
            else {service.name: PrivatePostgres(stack, service, layout, postgres_account) for service in stack.services}
        )
        # One broker: the one given by URL, else a private node.
        self.external_rabbitmq: ExternalRabbitMQ | None = None
        self.private_rabbitmq: PrivateRabbitMQ | None = None
        self.rabbitmq: ExternalRabbitMQ | PrivateRabbitMQ
        if rabbitmq_url:
            self.rabbitmq = self.external_rabbitmq = ExternalRabbitMQ(
                rabbitmq_url, vhost=stack.name, stack=stack, layout=layout
            )
        else:
            self.rabbitmq = self.private_rabbitmq = PrivateRabbitMQ(stack, layout, infra_account("rabbitmq"))

    def required(self) -> tuple[prerequisites.Prerequisite, ...]:
        needed = []
        if self.private_postgres:
            needed.append(prerequisites.POSTGRES)
        if self.private_rabbitmq:
            needed.append(prerequisites.RABBITMQ)
        return tuple(needed)

    def ports(self) -> dict[int, str]:
        """Every port the private servers bind, with the stack.yaml setting choosing it."""
        ports = {
            server.port: f"infrastructure.postgres.base_port in stack.yaml (or {POSTGRES_URL_VARIABLE})"
            for server in self.private_postgres.values()
        }
        if self.private_rabbitmq:
            for key in ("port", "dist_port", "epmd_port"):
                port = getattr(self.private_rabbitmq, key)
                ports[port] = f"infrastructure.rabbitmq.{key} in stack.yaml (or {RABBITMQ_URL_VARIABLE})"
        return ports

    def prepare_private(self) -> None:
        """Create missing data directories (initdb once per server)."""
        for server in self.private_postgres.values():
            _ = server.operator_password, server.service_password  # kept once, before threads share the file
        # initdb takes a second or two per server; they share nothing.
        with ThreadPoolExecutor(max_workers=max(1, len(self.private_postgres))) as pool:
            for future in [pool.submit(server.initialise) for server in self.private_postgres.values()]:
                future.result()
        if self.private_rabbitmq:
            self.private_rabbitmq.prepare()

    def programs(self) -> list[Program]:
        programs = [server.program() for server in self.private_postgres.values()]
        if self.private_rabbitmq:
            programs.insert(0, self.private_rabbitmq.program())
        return programs

    def readiness(self, component: str) -> ReadinessCheck:
        if component == "rabbitmq":
            return AmqpConnects(self.rabbitmq_url)
        return PostgresAnswers(self.private_postgres[component.removesuffix("-db")].admin_url)

    def create_databases(self) -> None:
        """Once the servers answer: each service's database (and role, when external)."""
        for service in self.stack.services:
            if self.external_postgres:
                self.external_postgres.prepare(service)
            else:
                self.private_postgres[service.name].create_database()

    def prepare_broker(self) -> None:
        """Once the broker answers: the accounts a private node does not load at boot."""
        if isinstance(self.rabbitmq, PrivateRabbitMQ):
            self.rabbitmq.remove_default_account()
        else:
            self.rabbitmq.prepare()

    def database_url(self, service: Service) -> str:
        if self.external_postgres:
            return self.external_postgres.database_url(service)
        return self.private_postgres[service.name].database_url

    @property
    def rabbitmq_url(self) -> str:
        """The operator's, for ecomctl itself."""
        return self.rabbitmq.url

    def service_rabbitmq_url(self, service: Service) -> str | None:
        """The service's own account; None for a service without events."""
        return self.rabbitmq.service_url(service)

    def after_stop(self, volumes: bool) -> None:
        """End what outlives supervisord and, with volumes, drop external data too."""
        if self.private_rabbitmq:
            self.private_rabbitmq.stop_port_mapper()
        if volumes and self.external_postgres:
            for service in self.stack.services:
                self.external_postgres.drop(service)
        if volumes and self.external_rabbitmq:
            self.external_rabbitmq.drop()
