"""Servers given by URL: each service gets its own role and database, the stack its own
vhost, and `down --volumes` removes them again."""

from __future__ import annotations

import os
import secrets

import pika
import psycopg
import pytest

from ecomctl.description.stack_file import Service
from ecomctl.runtime.local.postgres import ExternalPostgres
from ecomctl.runtime.local.rabbitmq import ExternalRabbitMQ

# The machine's own servers, as the rest of the suite finds them.
POSTGRES_URL = os.environ.get("ECOMLAB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RABBITMQ_URL = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")


def test_each_service_gets_its_own_role_and_database(layout):
    service = Service(
        f"test{secrets.token_hex(4)}", port=1, routes=(), consumers=(), depends_on=(), publishes=False, index=0
    )
    postgres = ExternalPostgres(POSTGRES_URL, layout)
    try:
        postgres.prepare(service)
        postgres.prepare(service)  # a second `up` changes nothing

        with psycopg.connect(postgres.database_url(service)) as connection:
            identity = connection.execute("SELECT current_user, current_database()").fetchone()
    finally:
        postgres.drop(service)

    assert identity == (service.database, service.database)


def test_the_stack_gets_its_own_vhost_and_each_service_an_account_for_its_own_queues(stack, layout):
    vhost = f"ecomlab-test-{secrets.token_hex(4)}"
    broker = ExternalRabbitMQ(RABBITMQ_URL, vhost=vhost, stack=stack, layout=layout)
    owner, other = [service for service in stack.services if service.consumers][:2]
    queue = f"{owner.name}.{owner.consumers[0]}"
    try:
        broker.prepare()
        broker.prepare()  # a second `up` changes nothing
        with pika.BlockingConnection(pika.URLParameters(broker.url)) as operator:
            operator.channel().queue_declare(queue, durable=True)
            # The exchanges came with the accounts, so a service only has to check them.
            operator.channel().exchange_declare(stack.events["exchange"], passive=True)
        with pika.BlockingConnection(pika.URLParameters(broker.service_url(owner))) as own:
            own.channel().basic_get(queue)
        with pika.BlockingConnection(pika.URLParameters(broker.service_url(other))) as another:
            with pytest.raises(pika.exceptions.ChannelClosedByBroker, match="ACCESS_REFUSED"):
                another.channel().basic_get(queue)
    finally:
        broker.drop()

    with pytest.raises(pika.exceptions.ProbableAccessDeniedError):
        pika.BlockingConnection(pika.URLParameters(broker.url))
    with pytest.raises(pika.exceptions.ProbableAuthenticationError):
        pika.BlockingConnection(pika.URLParameters(broker.service_url(owner)))
