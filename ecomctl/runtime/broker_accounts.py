"""Who may do what on the stack's RabbitMQ vhost, the same on every runtime.

    <stack>-operator     everything: ecomctl's `events`, `queues`, `dead-letters`, and the
                         one account that declares the exchanges
    <stack>-<service>    only a service that publishes or consumes events, and only:
                           configure  its own queues        <service>.<consumer>[.dlq]
                           write      its own queues, the events exchange, and the
                                      dead-letter exchange (RabbitMQ asks for write on it
                                      to declare a queue that dead-letters there)
                           read       its own queues, the events and dead-letter exchanges
    guest                gone (private brokers); a broker the user runs keeps its accounts

So no service can read, purge or delete another service's queue, nor redeclare the
exchanges every service depends on. The topology the operator owns (exchanges, the
unrouted queue) is part of the same definitions, so a broker gets it with its accounts.

The definitions are RabbitMQ's own import format, loaded at boot (`load_definitions`) or
imported into a running broker; passwords are stored salted and hashed as RabbitMQ does."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import pika

from ecomctl.description.stack_file import Service, Stack
from ecomctl.runtime.queue_names import own_queues_pattern

UNROUTED_QUEUE_ARGUMENTS = {"x-max-length": 10_000, "x-overflow": "drop-head"}  # as chassis.messaging.topology

# A secret by name (a runtime's state directory keeps them); broker passwords are named
# SECRET_PREFIX + the account's role.
Secrets = Callable[[str], str]
SECRET_PREFIX = "rabbitmq-"


@dataclass(frozen=True)
class BrokerAccount:
    user: str
    secret: str  # the name of its password among the runtime's secrets
    configure: str
    write: str
    read: str
    tags: str = ""


def has_events(service: Service) -> bool:
    return service.publishes or bool(service.consumers)


def operator_account(stack: Stack) -> BrokerAccount:
    return BrokerAccount(f"{stack.name}-operator", f"{SECRET_PREFIX}operator", ".*", ".*", ".*", tags="administrator")


def service_account(stack: Stack, service: Service, prefix: str | None = None) -> BrokerAccount | None:
    """None for a service without events: it gets no broker account at all. Accounts are
    the broker's, not the vhost's: on a shared broker the prefix is the stack's vhost."""
    if not has_events(service):
        return None
    own_queues = own_queues_pattern(service.name)
    events, dead_letters = (re.escape(stack.events[key]) for key in ("exchange", "dead_letter_exchange"))
    return BrokerAccount(
        user=f"{prefix or stack.name}-{service.name}",
        secret=f"{SECRET_PREFIX}{service.name}",
        configure=f"^{own_queues}$",
        write=f"^({own_queues}|{events}|{dead_letters})$",
        read=f"^({own_queues}|{events}|{dead_letters})$",
    )


def service_accounts(stack: Stack, prefix: str | None = None) -> list[BrokerAccount]:
    every = (service_account(stack, service, prefix) for service in stack.services)
    return [account for account in every if account]


def accounts(stack: Stack) -> list[BrokerAccount]:
    """Every account of a broker the runtime runs itself."""
    return [operator_account(stack), *service_accounts(stack)]


def amqp_url(account: BrokerAccount, secrets: Secrets, *, host: str, port: int, vhost: str = "/") -> str:
    # Not quoted: the runtimes' secrets are URL-safe, and compose's are variables it fills in.
    return f"amqp://{account.user}:{secrets(account.secret)}@{host}:{port}/{quote(vhost, safe='')}"


def password_hash(user: str, password: str) -> str:
    """rabbit_password_hashing_sha256: base64(salt + sha256(salt + password)), 4-byte salt.
    The salt is derived, not random, so the same secrets give the same definitions and a
    runtime can tell that nothing changed (a container is not replaced for a new salt)."""
    salt = hashlib.sha256(f"{user}:{password}".encode()).digest()[:4]
    return base64.b64encode(salt + hashlib.sha256(salt + password.encode()).digest()).decode()


def definitions(stack: Stack, every: list[BrokerAccount], secrets: Secrets, *, vhost: str = "/") -> dict:
    """The accounts given, their permissions on the vhost, and the operator's topology."""
    events = stack.events
    unrouted = events["unrouted_exchange"]

    def exchange(name: str, kind: str, arguments: dict | None = None) -> dict:
        return {
            "name": name,
            "vhost": vhost,
            "type": kind,
            "durable": True,
            "auto_delete": False,
            "internal": False,
            "arguments": arguments or {},
        }

    return {
        "users": [
            {
                "name": account.user,
                "password_hash": password_hash(account.user, secrets(account.secret)),
                "hashing_algorithm": "rabbit_password_hashing_sha256",
                "tags": account.tags,
            }
            for account in every
        ],
        "vhosts": [{"name": vhost}],
        "permissions": [
            {
                "user": account.user,
                "vhost": vhost,
                "configure": account.configure,
                "write": account.write,
                "read": account.read,
            }
            for account in every
        ],
        "exchanges": [
            exchange(unrouted, "fanout"),
            exchange(events["exchange"], "topic", {"alternate-exchange": unrouted}),
            exchange(events["dead_letter_exchange"], "direct"),
        ],
        "queues": [
            {
                "name": unrouted,
                "vhost": vhost,
                "durable": True,
                "auto_delete": False,
                "arguments": UNROUTED_QUEUE_ARGUMENTS,
            }
        ],
        "bindings": [
            {
                "source": unrouted,
                "vhost": vhost,
                "destination": unrouted,
                "destination_type": "queue",
                "routing_key": "",
                "arguments": {},
            }
        ],
    }


def declare_topology(url: str, definitions: dict) -> None:
    """Declare the definitions' exchanges, queues and bindings over AMQP, as their operator
    (for a broker whose definitions are not loaded at boot)."""
    with pika.BlockingConnection(pika.URLParameters(url)) as connection:
        channel = connection.channel()
        for exchange in definitions["exchanges"]:
            channel.exchange_declare(
                exchange["name"], exchange["type"], durable=exchange["durable"], arguments=exchange["arguments"]
            )
        for queue in definitions["queues"]:
            channel.queue_declare(queue["name"], durable=queue["durable"], arguments=queue["arguments"])
        for binding in definitions["bindings"]:
            channel.queue_bind(binding["destination"], binding["source"], routing_key=binding["routing_key"])
