"""Real processes against a real broker: a private RabbitMQ vhost per test, and the
service's own management commands started as subprocesses on the test database."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pika
import pytest
from django.conf import settings

from chassis.messaging.topology import declare_exchanges
from chassis_testing.processes import DjangoProcess

SERVICE_ROOT = Path(__file__).resolve().parents[1]


class Vhost:
    """A RabbitMQ vhost made for one test, so its queue names meet nobody else's."""

    def __init__(self) -> None:
        self.name = f"ecomlab-test-{uuid.uuid4().hex[:10]}"
        # The broker the rest of the suite uses (an account that may create vhosts).
        address = urlsplit(settings.RABBITMQ_URL)
        self.user = address.username or "guest"
        self.url = urlunsplit(address._replace(path="/" + quote(self.name, safe="")))

    def create(self) -> None:
        """The vhost, and the exchanges its operator declares (services only check them)."""
        _rabbitmqctl("add_vhost", self.name)
        _rabbitmqctl("set_permissions", "-p", self.name, self.user, ".*", ".*", ".*")
        with self.connect() as amqp:
            declare_exchanges(amqp.channel())

    def delete(self) -> None:
        _rabbitmqctl("delete_vhost", self.name)

    def connect(self) -> pika.BlockingConnection:
        return pika.BlockingConnection(pika.URLParameters(self.url))

    def has_queue(self, queue: str) -> bool:
        with self.connect() as amqp:
            try:
                amqp.channel().queue_declare(queue, passive=True)
            except pika.exceptions.ChannelClosedByBroker:
                return False
            return True


def _database_url(database: dict) -> str:
    credentials = quote(database["USER"] or "", safe="")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"], safe="")
    address = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return f"postgres://{credentials}@{address}/{database['NAME']}"


def _rabbitmqctl(*arguments: str) -> None:
    try:
        subprocess.run(["rabbitmqctl", "-q", *arguments], check=True, capture_output=True, timeout=60)
    except (FileNotFoundError, subprocess.CalledProcessError) as exc:
        message = f"rabbitmqctl {arguments[0]} failed ({exc}); run the tests where rabbitmqctl can manage the broker."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def service_process(*command: str, database: dict, broker_url: str) -> DjangoProcess:
    """`python manage.py <command>` of this service, on the test database and vhost;
    `database`: the test database's connection settings (connection.settings_dict)."""
    return DjangoProcess(
        ["manage.py", *command],
        cwd=SERVICE_ROOT,
        env={
            "DATABASE_URL": _database_url(database),
            "RABBITMQ_URL": broker_url,
            "EVENTS_DELIVERY_LIMIT": "2",
            "OUTBOX_RELAY_POLL_INTERVAL": "0.5",
        },
    )
