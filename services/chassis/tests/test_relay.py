"""The relay, in process: confirmed publishing, marking, failure bookkeeping."""

import pytest
from django.db import transaction
from django.test import override_settings

from chassis.correlation import correlation_scope
from chassis.messaging import publish
from chassis.messaging.models import OutboxMessage
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
