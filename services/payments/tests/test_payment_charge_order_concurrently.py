"""Duplicate deliveries of order.created handled at the same moment by two consumers,
each on its own thread and database connection, through the real inbox processor."""

import pytest

from chassis.messaging.inbox import Outcome
from chassis.messaging.models import InboxMessage, OutboxMessage
from chassis_testing.threads import run_in_threads
from payments.models import Payment
from payments.provider.models import ProviderCharge
from tests.conftest import DATABASES, order_created

pytestmark = pytest.mark.django_db(databases=DATABASES, transaction=True)


def deliver(consumer, event):
    return lambda: consumer.process(event.to_json(), routing_key=event.type)


def test_two_messages_for_one_order_at_the_same_moment_charge_once(consumer, provider_behaves):
    # A slow provider keeps the first charge in flight while the second message arrives.
    provider_behaves(latency_ms=300)
    first = order_created()
    second = order_created(order_id=first.data["order_id"])

    outcomes = run_in_threads(deliver(consumer, first), deliver(consumer, second))

    assert outcomes == [Outcome.ACK, Outcome.ACK]
    assert InboxMessage.objects.count() == 2
    assert Payment.objects.count() == 1
    assert ProviderCharge.objects.count() == 1
    assert OutboxMessage.objects.get().payload["data"]["order_id"] == first.data["order_id"]


def test_the_same_message_delivered_twice_at_once_is_handled_once(consumer, provider_behaves):
    provider_behaves(latency_ms=300)
    event = order_created()

    outcomes = run_in_threads(deliver(consumer, event), deliver(consumer, event))

    assert outcomes == [Outcome.ACK, Outcome.ACK]
    assert InboxMessage.objects.count() == 1
    assert (Payment.objects.count(), ProviderCharge.objects.count(), OutboxMessage.objects.count()) == (1, 1, 1)


def test_a_provider_outage_requeues_the_message_and_records_nothing(consumer, provider_behaves):
    provider_behaves(failure_rate=1.0)
    event = order_created()

    assert consumer.process(event.to_json(), routing_key=event.type) is Outcome.REQUEUE

    assert not InboxMessage.objects.exists()
    assert not Payment.objects.exists() and not OutboxMessage.objects.exists()

    provider_behaves(failure_rate=0.0)
    assert consumer.process(event.to_json(), routing_key=event.type) is Outcome.ACK
    assert Payment.objects.get().status == "SUCCEEDED"
