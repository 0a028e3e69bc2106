"""Servers given by URL: each service gets its own role and database, the stack its own
vhost, and `down --volumes` removes them again."""

from __future__ import annotations

import secrets

import pika
import psycopg
import pytest

from ecomctl.runtime.local.postgres import ExternalPostgres
from ecomctl.runtime.local.rabbitmq import ExternalRabbitMQ
from ecomctl.stack import Service

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"


def test_each_service_gets_its_own_role_and_database(layout):
    service = Service(f"test{secrets.token_hex(4)}", port=1, routes=(), consumers=(), depends_on=(), publishes=False, index=0)
    postgres = ExternalPostgres(POSTGRES_URL, layout)
    try:
        postgres.prepare(service)
        postgres.prepare(service)  # a second `up` changes nothing

        with psycopg.connect(postgres.database_url(service)) as connection:
            identity = connection.execute("SELECT current_user, current_database()").fetchone()
    finally:
        postgres.drop(service)

    assert identity == (service.database, service.database)


def test_the_stack_gets_its_own_vhost():
    vhost = f"ecomlab-test-{secrets.token_hex(4)}"
    broker = ExternalRabbitMQ(RABBITMQ_URL, vhost=vhost)
    try:
        broker.prepare()
        pika.BlockingConnection(pika.URLParameters(broker.url)).close()
    finally:
        broker.drop()

    with pytest.raises(pika.exceptions.ProbableAccessDeniedError):
        pika.BlockingConnection(pika.URLParameters(broker.url))
