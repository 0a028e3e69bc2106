"""What every container of a stack is, as plain data: image, command, environment,
networks, published ports, volumes, limits and health check. The docker runtime creates
containers from these specs and the compose file is rendered from the same specs.

Isolation is in the networks: a service's database joins only `<service>-db`, a network
no other service's containers join, so no other service can even resolve its name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from ecomctl.description.gateway_config import render_gateway_config
from ecomctl.description.stack_file import Service, Stack
from ecomctl.runtime import broker_accounts
from ecomctl.runtime.components import Component, ComponentKind, stack_components
from ecomctl.runtime.docker.images import ImageSet
from ecomctl.runtime.docker.naming import BACKEND_NETWORK, database_network
from ecomctl.runtime.service_processes import manage_command, process_command, service_environment

POSTGRES_PORT = 5432
AMQP_PORT = 5672
MANAGEMENT_PORT = 15672
# Run once, when a database container initialises its data: the service's own role owns
# its database and is the only role the network may sign in as; the superuser is the
# operator's, over the container's local socket only (`docker exec`).
SERVICE_ROLE_SCRIPT = "/docker-entrypoint-initdb.d/10-ecomlab-service-role.sh"
SERVICE_ROLE_SETUP = """\
# Sourced by the image's entrypoint on first start, with a server on the local socket only.
psql -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \\
    -v role="$ECOMLAB_SERVICE_ROLE" -v password="$ECOMLAB_SERVICE_PASSWORD" -v db="$POSTGRES_DB" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
ALTER DATABASE :"db" OWNER TO :"role";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
sed -i '/^host/d' "$PGDATA/pg_hba.conf"
echo "host $POSTGRES_DB $ECOMLAB_SERVICE_ROLE all scram-sha-256" >> "$PGDATA/pg_hba.conf"
"""
DATABASE_OPERATOR = "postgres"

# The broker loads its accounts and the exchanges at every boot (runtime/broker_accounts.py).
DEFINITIONS_FILE = "/etc/rabbitmq/definitions.json"
DEFINITIONS_CONFIG = "/etc/rabbitmq/conf.d/20-ecomlab-definitions.conf"
# Docker's embedded DNS server: the gateway asks it on every request (with a short cache),
# so a service container that was started again at a new address is found.
DOCKER_DNS = "127.0.0.11"
CONTAINER_HOST = "0.0.0.0"
HEARTBEAT_VARIABLE = "WORKER_HEARTBEAT_FILE"
HEARTBEAT_FILE = "/tmp/ecomlab-heartbeat"
HEARTBEAT_WITHIN = 30  # seconds; longer than the broker's reconnect backoff allows

# A secret by name (`<service>-db-password`, `<service>-secret-key`, `rabbitmq-<account>`).
Secrets = Callable[[str], str]


@dataclass(frozen=True)
class HealthCheck:
    test: tuple[str, ...]  # exec form, run inside the container
    interval: float
    timeout: float = 3
    retries: int = 3
    start_period: float = 60


@dataclass(frozen=True)
class ContainerSpec:
    name: str  # the component's name (or `<service>-migrate`)
    kind: str
    image: str
    command: tuple[str, ...] | None = None
    environment: dict[str, str] = field(default_factory=dict)
    networks: tuple[str, ...] = (BACKEND_NETWORK,)
    ports: dict[int, int] = field(default_factory=dict)  # container port -> 127.0.0.1 port
    volumes: dict[str, str] = field(default_factory=dict)  # volume -> mount path
    memory: str = "256m"
    health: HealthCheck | None = None
    hostname: str | None = None
    unprivileged: bool = False  # runs as the image's non-root user with no capabilities
    stop_signal: str | None = None
    files: dict[str, str] = field(default_factory=dict)  # path -> content, put in before start
    service: str | None = None

    @property
    def owner(self) -> str:
        """The owning service, for a container that must have one."""
        if self.service is None:
            raise ValueError(f"the container {self.name} belongs to no service")
        return self.service


@dataclass(frozen=True)
class StackDesign:
    containers: list[ContainerSpec]  # in start order
    migrations: dict[str, ContainerSpec]  # by service
    networks: dict[str, bool]  # name -> internal
    volumes: list[str]

    def container(self, name: str) -> ContainerSpec:
        return next(spec for spec in self.containers if spec.name == name)


def design(stack: Stack, images: ImageSet, secrets: Secrets) -> StackDesign:
    components = stack_components(stack, with_infra=True)
    containers = [_spec(stack, component, images, secrets) for component in components]
    migrations = {service.name: _migration(stack, service, images, secrets) for service in stack.services}
    networks = {BACKEND_NETWORK: False, **{database_network(service.name): True for service in stack.services}}
    volumes = [volume for spec in containers for volume in spec.volumes]
    return StackDesign(containers, migrations, networks, volumes)


def broker_url(stack: Stack, secrets: Secrets, host: str = "rabbitmq", port: int = AMQP_PORT) -> str:
    """The operator's: ecomctl's own account."""
    return broker_accounts.amqp_url(broker_accounts.operator_account(stack), secrets, host=host, port=port)


def _spec(stack: Stack, component: Component, images: ImageSet, secrets: Secrets) -> ContainerSpec:
    if component.name == "rabbitmq":
        return _rabbitmq(stack, images, secrets)
    if component.kind is ComponentKind.INFRA:
        return _postgres(stack, component.owner, images, secrets)
    if component.kind is ComponentKind.GATEWAY:
        return _gateway(stack, images)
    service = stack.service(component.owner)
    command = process_command(stack, component, host=CONTAINER_HOST)
    is_web = component.kind is ComponentKind.SERVICE
    environment = _service_environment(stack, service, secrets)
    if not is_web:
        environment[HEARTBEAT_VARIABLE] = HEARTBEAT_FILE
    return ContainerSpec(
        name=component.name,
        kind=component.kind.value,
        image=images.service(service.name),
        command=tuple(command),
        environment=environment,
        networks=(BACKEND_NETWORK, database_network(service.name)),
        memory=stack.memory.get("web" if is_web else "worker", "256m"),
        health=_web_health(stack) if is_web else _worker_health(),
        unprivileged=True,
        service=service.name,
    )


def _migration(stack: Stack, service: Service, images: ImageSet, secrets: Secrets) -> ContainerSpec:
    return ContainerSpec(
        name=f"{service.name}-migrate",
        kind="migration",
        image=images.service(service.name),
        command=tuple(manage_command(stack.processes.migrate_arguments)),
        environment=_service_environment(stack, service, secrets),
        networks=(database_network(service.name),),
        memory=stack.memory.get("web", "256m"),
        unprivileged=True,
        service=service.name,
    )


def management_spec(
    stack: Stack, service: str, arguments: list[str], images: ImageSet, secrets: Secrets
) -> ContainerSpec:
    """A one-off container running a management command in the service's environment."""
    migration = _migration(stack, stack.service(service), images, secrets)
    return ContainerSpec(
        **{
            **migration.__dict__,
            "name": f"{service}-manage",
            "networks": (BACKEND_NETWORK, database_network(service)),
            "command": tuple(manage_command(arguments)),
        }
    )


def _service_environment(stack: Stack, service: Service, secrets: Secrets) -> dict[str, str]:
    environment = service_environment(
        stack,
        service,
        address_of=lambda other: f"{other.name}-web:{other.port}",
        database_url=(
            f"postgresql://{service.name}:{secrets(f'{service.name}-db-password')}"
            f"@{service.name}-db:{POSTGRES_PORT}/{service.name}"
        ),
        rabbitmq_url=_service_broker_url(stack, service, secrets),
        secret_key=secrets(f"{service.name}-secret-key"),
        contracts_dir="/app/contracts",
    )
    environment["EMAIL_FILE_PATH"] = "/app/sent-mail"
    return environment


def _service_broker_url(stack: Stack, service: Service, secrets: Secrets) -> str | None:
    account = broker_accounts.service_account(stack, service)
    return broker_accounts.amqp_url(account, secrets, host="rabbitmq", port=AMQP_PORT) if account else None


def _web_health(stack: Stack) -> HealthCheck:
    # python -S skips site-packages: the probe costs a few milliseconds, not a Django start.
    probe = (
        "import os,socket\n"
        "s=socket.create_connection(('127.0.0.1',int(os.environ['PORT'])),2)\n"
        f"s.sendall(b'GET {stack.processes.ready_path} HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n')\n"
        "raise SystemExit(0 if s.recv(16).split()[1:2]==[b'200'] else 1)"
    )
    return HealthCheck(("python3", "-S", "-c", probe), interval=2)


def _worker_health() -> HealthCheck:
    # Relays and consumers touch the file while their loop runs connected (chassis.liveness).
    probe = (
        f"import os,sys,time\n"
        f"sys.exit(0 if time.time()-os.stat(os.environ['{HEARTBEAT_VARIABLE}']).st_mtime<{HEARTBEAT_WITHIN} else 1)"
    )
    return HealthCheck(("python3", "-S", "-c", probe), interval=5, start_period=30)


def _postgres(stack: Stack, service: str, images: ImageSet, secrets: Secrets) -> ContainerSpec:
    return ContainerSpec(
        name=f"{service}-db",
        kind=ComponentKind.INFRA.value,
        image=images.postgres,
        environment={
            "POSTGRES_USER": DATABASE_OPERATOR,
            "POSTGRES_DB": service,
            "POSTGRES_PASSWORD": secrets(f"{service}-db-operator-password"),
            "ECOMLAB_SERVICE_ROLE": service,
            "ECOMLAB_SERVICE_PASSWORD": secrets(f"{service}-db-password"),
        },
        files={SERVICE_ROLE_SCRIPT: SERVICE_ROLE_SETUP},
        networks=(database_network(service),),
        volumes={f"{service}-db-data": "/var/lib/postgresql/data"},
        memory=stack.memory.get("postgres", "256m"),
        # Over TCP, so the server the image runs while initialising (socket only) is not "ready".
        health=HealthCheck(("pg_isready", "-q", "-h", "127.0.0.1", "-U", service, "-d", service), interval=1),
        service=service,
    )


def _rabbitmq(stack: Stack, images: ImageSet, secrets: Secrets) -> ContainerSpec:
    rabbitmq = stack.infrastructure["rabbitmq"]
    operator = broker_accounts.operator_account(stack)
    definitions = broker_accounts.definitions(stack, broker_accounts.accounts(stack), secrets)
    return ContainerSpec(
        name="rabbitmq",
        kind=ComponentKind.INFRA.value,
        image=images.rabbitmq,
        # With definitions to load the image creates no default account; should it, the
        # account is the operator's, never guest.
        environment={"RABBITMQ_DEFAULT_USER": operator.user, "RABBITMQ_DEFAULT_PASS": secrets(operator.secret)},
        files={
            DEFINITIONS_FILE: json.dumps(definitions, indent=2) + "\n",
            DEFINITIONS_CONFIG: f"load_definitions = {DEFINITIONS_FILE}\n",
        },
        ports={AMQP_PORT: int(rabbitmq["port"]), MANAGEMENT_PORT: int(rabbitmq["management_port"])},
        volumes={"rabbitmq-data": "/var/lib/rabbitmq"},
        memory=stack.memory.get("rabbitmq", "512m"),
        # The node keeps its data under its name, so the name must not change with the container.
        hostname="rabbitmq",
        # The AMQP port opens last in the boot; a diagnostics ping answers seconds earlier.
        health=HealthCheck(("bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{AMQP_PORT}"), interval=2),
    )


def _gateway(stack: Stack, images: ImageSet) -> ContainerSpec:
    port = stack.gateway.port
    upstreams = {service.name: (f"{service.name}-web", service.port) for service in stack.services}
    config = render_gateway_config(stack, upstreams=upstreams, listen=f"{CONTAINER_HOST}:{port}", resolver=DOCKER_DNS)
    probe = (
        f"exec 3<>/dev/tcp/127.0.0.1/{port} && printf 'GET {stack.gateway.health_path} HTTP/1.0\\r\\n\\r\\n' >&3"
        " && head -c 12 <&3 | grep -q ' 200'"
    )
    return ContainerSpec(
        name="gateway",
        kind=ComponentKind.GATEWAY.value,
        image=images.nginx,
        ports={port: port},
        memory=stack.memory.get("gateway", "64m"),
        health=HealthCheck(("bash", "-c", probe), interval=2),
        stop_signal="SIGQUIT",  # graceful: requests in flight finish
        files={"/etc/nginx/nginx.conf": config},
    )
