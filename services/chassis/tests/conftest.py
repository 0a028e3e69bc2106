"""Fixtures: a broker channel, per-test consumer queues and taps, and real processes."""

from __future__ import annotations

import json
import os
import uuid

import pika
import pytest
from django.conf import settings
from django.db import connection
from pika.exceptions import AMQPConnectionError

from chassis.messaging import topology
from chassis.messaging.topology import declare_consumer_queue, declare_exchanges
from chassis_testing.processes import DjangoProcess
from tests.support.processes import management_command
from tests.testapp.handlers import HANDLERS


@pytest.fixture(scope="session")
def broker_url() -> str:
    try:
        with pika.BlockingConnection(pika.URLParameters(settings.RABBITMQ_URL)) as operator:
            declare_exchanges(operator.channel())  # the operator's part; services only check
    except AMQPConnectionError:
        message = f"RabbitMQ is not reachable at {settings.RABBITMQ_URL}; start it or set RABBITMQ_URL."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield settings.RABBITMQ_URL
    with pika.BlockingConnection(pika.URLParameters(settings.RABBITMQ_URL)) as cleanup:
        channel = cleanup.channel()
        channel.queue_delete(settings.EVENTS_UNROUTED_EXCHANGE)
        for exchange in (
            settings.EVENTS_EXCHANGE,
            settings.EVENTS_UNROUTED_EXCHANGE,
            settings.EVENTS_DEAD_LETTER_EXCHANGE,
        ):
            channel.exchange_delete(exchange)


@pytest.fixture
def channel(broker_url):
    with pika.BlockingConnection(pika.URLParameters(broker_url)) as amqp:
        channel = amqp.channel()
        declare_exchanges(channel)
        yield channel


@pytest.fixture
def processes() -> list[DjangoProcess]:
    """The processes a test started; stopped before its queues are deleted, or a consumer
    would declare its queue again."""
    started: list[DjangoProcess] = []
    yield started
    for process in started:
        process.stop()


@pytest.fixture
def queue_service() -> str:
    """The service name this test's consumer queues are named after, its own."""
    return f"chassis-test.{settings.RUN_ID}.{uuid.uuid4().hex[:8]}"


@pytest.fixture
def consumer_env(queue_service) -> dict[str, str]:
    """What a `consume receipts` process needs to consume from this test's queue."""
    return {"CHASSIS_TEST_QUEUE_SERVICE": queue_service}


@pytest.fixture
def consumer_queue(channel, processes, queue_service) -> str:
    """A fresh queue with the receipts consumer's bindings, deleted afterwards."""
    name = topology.consumer_queue(queue_service, "receipts")
    declare_consumer_queue(channel, name, HANDLERS)
    yield name
    for process in processes:
        process.stop()
    channel.queue_delete(name)
    channel.queue_delete(topology.dead_letter_queue(name))


class Tap:
    """An exclusive queue bound to every event, for asserting what reached the exchange."""

    def __init__(self, channel):
        self.channel = channel
        self.queue = channel.queue_declare("", exclusive=True).method.queue
        channel.queue_bind(self.queue, settings.EVENTS_EXCHANGE, routing_key="#")

    def drain(self) -> list[tuple[pika.spec.BasicProperties, dict]]:
        messages = []
        while True:
            method, properties, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                return messages
            messages.append((properties, json.loads(body)))


@pytest.fixture
def tap(channel) -> Tap:
    return Tap(channel)


def queue_depth(channel, queue: str) -> int:
    return channel.queue_declare(queue, passive=True).method.message_count


def consumer_count(channel, queue: str) -> int:
    return channel.queue_declare(queue, passive=True).method.consumer_count


@pytest.fixture
def start_process(transactional_db, broker_url, processes):
    """Start management commands as processes; they are stopped (SIGTERM) before the
    test database is flushed, and must have exited cleanly."""
    database = connection.settings_dict["NAME"]

    def start(*command: str, env: dict[str, str] | None = None) -> DjangoProcess:
        process = management_command(*command, database=database, env=env)
        processes.append(process)
        return process

    yield start
    failures = [
        f"{' '.join(process.command)} exited {process.stop()}:\n{process.output()[-3000:]}"
        for process in processes
        if process.stop() != 0
    ]
    assert not failures, "\n".join(failures)
