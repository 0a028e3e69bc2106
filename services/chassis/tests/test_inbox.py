"""The inbox processor, in process: validation at the boundary, once-only handling,
rollback on failure, the causation link to events a handler publishes, and batches
that commit together without letting one message's failure touch the others."""

import json
import logging
import threading

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from chassis.correlation import CorrelationIdFilter
from chassis.messaging.inbox import InboxProcessor, Message, Outcome
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
    with psycopg.connect(
        host=database["HOST"],
        port=database["PORT"] or 5432,
        user=database["USER"],
        dbname=database["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [backend_pid])

    assert processor.process(envelope().to_json(), routing_key="order.created") is Outcome.ACK
    assert Receipt.objects.count() == 2
    assert counter("handler_failures") == 0


def created(payment_method: str = "tok_visa") -> Message:
    return Message(envelope(data=order_created(payment_method)).to_json(), "order.created")


def transactions_that_recorded() -> int:
    """The inbox stamps rows with now(), which is the same throughout one transaction."""
    return InboxMessage.objects.values("processed_at").distinct().count()


def test_a_batch_commits_in_one_transaction(processor):
    assert processor.process_batch([created() for _ in range(5)]) == [Outcome.ACK] * 5
    assert Receipt.objects.count() == 5
    assert transactions_that_recorded() == 1
    assert counter("consumed") == 5


def test_each_event_of_a_batch_is_logged_with_its_own_flow(processor, caplog):
    messages = [created() for _ in range(3)]
    flows = [json.loads(message.body)["correlation_id"] for message in messages]
    caplog.handler.addFilter(CorrelationIdFilter())  # as the service's log handler has
    with caplog.at_level(logging.INFO, logger="chassis.messaging.inbox"):
        assert processor.process_batch(messages) == [Outcome.ACK] * 3
    handled = [record for record in caplog.records if record.getMessage() == "event handled"]
    assert [record.correlation_id for record in handled] == flows


def test_a_batch_without_failures_takes_no_savepoints(processor):
    with CaptureQueriesContext(connection) as queries:
        assert processor.process_batch([created() for _ in range(5)]) == [Outcome.ACK] * 5
    assert not [query for query in queries.captured_queries if "SAVEPOINT" in query["sql"]]


def test_a_failing_handler_in_a_batch_undoes_only_its_own_message(processor):
    outcomes = processor.process_batch([created(), created("poison"), created()])
    assert outcomes == [Outcome.ACK, Outcome.REQUEUE, Outcome.ACK]
    assert Receipt.objects.count() == 2 and InboxMessage.objects.count() == 2
    assert transactions_that_recorded() == 1
    assert counter("handler_failures") == 1


def test_an_invalid_message_in_a_batch_is_rejected_alone(processor):
    outcomes = processor.process_batch([created(), Message(b"not json", "order.created"), created()])
    assert outcomes == [Outcome.ACK, Outcome.REJECT, Outcome.ACK]
    assert Receipt.objects.count() == 2
    assert counter("dead_lettered") == 1


def test_a_message_twice_in_one_batch_is_handled_once(processor):
    message = created()
    assert processor.process_batch([message, message]) == [Outcome.ACK, Outcome.ACK]
    assert Receipt.objects.count() == 1
    assert (counter("consumed"), counter("duplicates")) == (1, 1)


def test_a_batch_that_loses_its_connection_is_handled_again_one_by_one(processor):
    outcomes = processor.process_batch([created(), created("disconnect-once"), created()])
    assert outcomes == [Outcome.ACK] * 3
    assert Receipt.objects.count() == 3
    assert transactions_that_recorded() == 3
    assert counter("handler_failures") == 0


@override_settings(EVENTS_BATCH_TIME_LIMIT=0.1)
def test_a_slow_handler_ends_its_transaction_and_the_rest_commit_after(processor):
    outcomes = processor.process_batch([created("slow:0.15"), created(), created()])
    assert outcomes == [Outcome.ACK] * 3
    assert transactions_that_recorded() == 2
