"""The order-created consumer and the outbox relay as real processes on a real broker:
duplicate deliveries charge once, and a message the provider keeps failing is
dead-lettered after the delivery limit, with nothing charged."""

import json

import pika
import pytest
from django.conf import settings
from django.db import connection

from chassis.messaging.registry import load_consumer
from chassis.messaging.topology import dead_letter_queue
from chassis_testing.processes import DjangoProcess
from chassis_testing.waiting import wait_until
from payments.models import Payment
from payments.provider.models import ProviderCharge
from tests.broker import Vhost, service_process
from tests.conftest import DATABASES, order_created

pytestmark = pytest.mark.django_db(databases=DATABASES, transaction=True)

QUEUE = load_consumer("order-created").queue


@pytest.fixture
def vhost():
    created = Vhost()
    created.create()
    yield created
    created.delete()


@pytest.fixture
def start(vhost):
    started: list[DjangoProcess] = []

    def start_process(*command: str) -> DjangoProcess:
        process = service_process(*command, database=connection.settings_dict, broker_url=vhost.url)
        started.append(process)
        return process

    yield start_process
    for process in started:
        process.stop()


def queue_depth(channel, queue: str) -> int:
    return channel.queue_declare(queue, passive=True).method.message_count


def publish(channel, event) -> None:
    channel.basic_publish(
        settings.EVENTS_EXCHANGE,
        event.type,
        event.to_json(),
        pika.BasicProperties(message_id=event.id, delivery_mode=pika.DeliveryMode.Persistent),
    )


@pytest.fixture
def channel(vhost):
    with vhost.connect() as amqp:
        yield amqp.channel()


def tap_payment_events(vhost, channel) -> str:
    """Once the consumer has declared its queue (and the exchanges): a queue of payment events."""
    wait_until(lambda: vhost.has_queue(QUEUE), timeout=30, message=f"the consumer to declare {QUEUE}")
    tap = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(tap, settings.EVENTS_EXCHANGE, routing_key="payment.*")
    return tap


def test_duplicate_deliveries_through_the_broker_charge_once(start, vhost, channel):
    start("consume", "order-created")
    start("relay_outbox")
    tap = tap_payment_events(vhost, channel)
    event = order_created()

    publish(channel, event)
    publish(channel, event)
    publish(channel, order_created(order_id=event.data["order_id"]))

    wait_until(lambda: queue_depth(channel, tap) >= 1, timeout=30, message="payment.succeeded on the exchange")
    wait_until(lambda: queue_depth(channel, QUEUE) == 0, timeout=30, message="the consumer to drain its queue")
    _, _, body = channel.basic_get(tap, auto_ack=True)
    assert json.loads(body)["type"] == "payment.succeeded"
    assert queue_depth(channel, tap) == 0
    assert Payment.objects.count() == 1 and ProviderCharge.objects.count() == 1


def test_a_message_the_provider_keeps_failing_is_dead_lettered(start, vhost, channel, provider_behaves):
    provider_behaves(failure_rate=1.0)
    start("consume", "order-created")
    tap_payment_events(vhost, channel)

    publish(channel, order_created())

    wait_until(
        lambda: queue_depth(channel, dead_letter_queue(QUEUE)) == 1, timeout=30, message="the message in the DLQ"
    )
    assert not Payment.objects.exists() and not ProviderCharge.objects.exists()
