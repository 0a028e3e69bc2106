"""publish(): the envelope it builds, the contract check, and the transaction it needs."""

import uuid
from decimal import Decimal

import psycopg
import pytest
from django.db import connection, transaction

from chassis.correlation import correlation_scope
from chassis.messaging import publish
from chassis.messaging.contracts import InvalidEvent
from chassis.messaging.envelope import causation_scope
from chassis.messaging.models import OutboxMessage
from chassis.messaging.outbox import NOTIFY_CHANNEL, OutsideTransaction
from tests.support.events import order_created


@pytest.mark.django_db(transaction=True)
def test_publish_stores_the_whole_envelope_in_the_outbox():
    with correlation_scope("req-12345678"), transaction.atomic():
        event = publish("order.created", order_created())
    row = OutboxMessage.objects.get()
    assert str(row.id) == event.id and row.event_type == "order.created"
    assert row.payload == event.to_dict()
    assert row.published_at is None and row.attempts == 0
    assert event.producer == "chassis-test" and event.version == 1
    assert event.correlation_id == "req-12345678" and event.causation_id is None
    assert event.occurred_at.endswith("Z")


@pytest.mark.django_db(transaction=True)
def test_causation_and_native_values_are_carried():
    cause = str(uuid.uuid4())
    data = {**order_created(), "order_id": uuid.uuid4(), "total": Decimal("19.98")}
    with causation_scope(cause), transaction.atomic():
        event = publish("order.created", data)
    assert event.causation_id == cause
    assert event.data["order_id"] == str(data["order_id"]) and event.data["total"] == "19.98"
    assert event.correlation_id  # a new flow gets a new id


@pytest.mark.django_db(transaction=True)
def test_publish_outside_a_transaction_is_refused():
    with pytest.raises(OutsideTransaction, match=r"inside transaction.atomic\(\)"):
        publish("order.created", order_created())
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_leaves_no_event():
    with pytest.raises(RuntimeError), transaction.atomic():
        publish("order.created", order_created())
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_producer_bug_raises_at_publish_time():
    with pytest.raises(InvalidEvent, match="at data/currency"), transaction.atomic():
        publish(
            "payment.succeeded",
            {
                "order_id": str(uuid.uuid4()),
                "payment_id": str(uuid.uuid4()),
                "amount": "1.00",
                "currency": "euro",
                "provider_charge_id": "ch",
            },
        )
    with pytest.raises(InvalidEvent, match="No contract for event type 'order.shipped'"), transaction.atomic():
        publish("order.shipped", {})
    assert not OutboxMessage.objects.exists()


def _listener() -> psycopg.Connection:
    params = {k: v for k, v in connection.get_connection_params().items() if k in ("host", "port", "user", "dbname")}
    listening = psycopg.connect(**params, autocommit=True)
    listening.execute(f"LISTEN {NOTIFY_CHANNEL}")
    return listening


def _notifications(listening: psycopg.Connection) -> int:
    return sum(1 for _ in listening.notifies(timeout=0.5))


@pytest.mark.django_db(transaction=True)
def test_storing_an_event_is_one_statement(django_assert_num_queries):
    with transaction.atomic(), django_assert_num_queries(1):
        publish("order.created", order_created())


@pytest.mark.django_db(transaction=True)
def test_the_relay_is_notified_when_the_transaction_commits_and_not_before():
    listening = _listener()
    try:
        with transaction.atomic():
            publish("order.created", order_created())
            publish("order.created", order_created())
            assert _notifications(listening) == 0  # uncommitted: nothing to relay yet
        assert _notifications(listening) == 1  # one per transaction, however many events
    finally:
        listening.close()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_wakes_no_relay():
    listening = _listener()
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            publish("order.created", order_created())
            raise RuntimeError("the change failed")
        assert _notifications(listening) == 0
    finally:
        listening.close()
