"""The inbox processor, in process: validation at the boundary, once-only handling,
rollback on failure, and the causation link to events a handler publishes."""

import json
import threading

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from chassis.messaging.inbox import InboxProcessor, Outcome
from chassis.messaging.models import InboxMessage, MessagingCounter, OutboxMessage
from chassis.messaging.registry import load_consumer
from tests.support.events import envelope, order_created
from tests.testapp.models import Receipt

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def processor() -> InboxProcessor:
    return InboxProcessor(load_consumer("receipts"), stop=threading.Event())


def counter(name: str) -> int:
    return sum(MessagingCounter.objects.filter(name=name).values_list("value", flat=True))


def test_same_message_twice_is_handled_once(processor):
    body = envelope().to_json()
    assert processor.process(body, routing_key="order.created") is Outcome.ACK
    assert processor.process(body, routing_key="order.created") is Outcome.ACK
    assert Receipt.objects.count() == 1 and InboxMessage.objects.count() == 1
    assert (counter("consumed"), counter("duplicates")) == (1, 1)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe",
        json.dumps({"type": "order.created"}).encode(),
        json.dumps({**envelope().to_dict(), "data": {}}).encode(),
        envelope("order.cancelled").to_json(),  # valid, but this consumer has no handler
    ],
)
def test_invalid_messages_are_rejected_for_dead_lettering(processor, body):
    assert processor.process(body, routing_key="order.created") is Outcome.REJECT
    assert not InboxMessage.objects.exists()
    assert counter("dead_lettered") == 1


def test_a_failing_handler_rolls_back_and_requeues(processor):
    body = envelope(data=order_created("poison")).to_json()
    assert processor.process(body, routing_key="order.created") is Outcome.REQUEUE
    assert not InboxMessage.objects.exists() and not Receipt.objects.exists()
    assert counter("handler_failures") == 1


def test_events_published_by_a_handler_name_their_cause(processor):
    cause = envelope(data=order_created("chain"))
    assert processor.process(cause.to_json(), routing_key="order.created") is Outcome.ACK
    follow_up = OutboxMessage.objects.get().payload
    assert follow_up["type"] == "payment.succeeded"
    assert follow_up["causation_id"] == cause.id
    assert follow_up["correlation_id"] == cause.correlation_id


def test_a_connection_the_database_dropped_is_replaced_without_spending_a_delivery(processor):
    """As after a database restart between two messages: the kept connection is dead."""
    assert processor.process(envelope().to_json(), routing_key="order.created") is Outcome.ACK
    backend_pid = connection.connection.info.backend_pid
    database = settings.DATABASES["default"]
    with psycopg.connect(host=database["HOST"], port=database["PORT"] or 5432, user=database["USER"],
                         dbname=database["NAME"], autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])

    assert processor.process(envelope().to_json(), routing_key="order.created") is Outcome.ACK
    assert Receipt.objects.count() == 2
    assert counter("handler_failures") == 0
