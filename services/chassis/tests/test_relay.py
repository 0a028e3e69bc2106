"""The relay, in process: confirmed publishing, marking, failure bookkeeping."""

import logging

import pytest
from django.db import transaction
from django.test import override_settings

from chassis.correlation import CorrelationIdFilter, correlation_scope
from chassis.messaging import counters, publish
from chassis.messaging.models import MessagingCounter, OutboxMessage
from chassis.messaging.relay import OutboxRelay
from chassis_testing.ports import free_port
from tests.support.events import order_created

pytestmark = pytest.mark.django_db(transaction=True)


def test_relay_publishes_with_confirms_and_marks_rows_published(tap):
    with correlation_scope("flow-relay-1"), transaction.atomic():
        events = [publish("order.created", order_created()) for _ in range(3)]
    relay = OutboxRelay(batch_size=10)
    try:
        result = relay.relay_batch()
    finally:
        relay.publisher.close()
    assert (result.claimed, result.published, result.error) == (3, 3, None)
    assert not OutboxMessage.objects.filter(published_at__isnull=True).exists()
    received = tap.drain()
    assert [body for _, body in received] == [event.to_dict() for event in events]
    properties = received[0][0]
    assert properties.message_id == events[0].id
    assert properties.delivery_mode == 2 and properties.content_type == "application/json"
    assert properties.headers["correlation_id"] == "flow-relay-1"


def test_a_batch_is_counted_as_published(tap):
    with transaction.atomic():
        for _ in range(3):
            publish("order.created", order_created())
    relay = OutboxRelay(batch_size=10)
    try:
        assert relay.relay_batch().published == 3
    finally:
        relay.publisher.close()
    published = MessagingCounter.objects.filter(name=counters.PUBLISHED).values_list("value", flat=True)
    assert sum(published) == 3
    assert len(tap.drain()) == 3


def test_each_published_event_is_logged_with_its_own_flow(tap, caplog):
    flows = ["flow-relay-a", "flow-relay-b"]
    for flow in flows:
        with correlation_scope(flow), transaction.atomic():
            publish("order.created", order_created())
    caplog.handler.addFilter(CorrelationIdFilter())  # as the service's log handler has
    relay = OutboxRelay(batch_size=10)
    try:
        with caplog.at_level(logging.INFO, logger="chassis.messaging.relay"):
            assert relay.relay_batch().published == 2
    finally:
        relay.publisher.close()
    logged = [record.correlation_id for record in caplog.records if record.getMessage() == "event published"]
    assert logged == flows
    assert len(tap.drain()) == 2


def test_relay_batches_respect_the_batch_size(tap):
    with transaction.atomic():
        for _ in range(5):
            publish("order.created", order_created())
    relay = OutboxRelay(batch_size=2)
    try:
        assert [relay.relay_batch().published for _ in range(4)] == [2, 2, 1, 0]
    finally:
        relay.publisher.close()
    assert len(tap.drain()) == 5


def test_unreachable_broker_keeps_rows_pending_with_the_error(broker_url):
    with transaction.atomic():
        event = publish("order.created", order_created())
    with override_settings(RABBITMQ_URL=f"amqp://guest:guest@127.0.0.1:{free_port()}/%2F"):
        result = OutboxRelay().relay_batch()
    assert result.published == 0 and "broker unreachable" in result.error
    row = OutboxMessage.objects.get(id=event.id)
    assert row.published_at is None and row.attempts == 1 and "unreachable" in row.last_error
