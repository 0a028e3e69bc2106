"""`consume` as real processes: idempotency under concurrency, dead-lettering, heartbeats."""

import pika
import pytest
from django.conf import settings

from chassis.liveness import is_alive
from chassis.messaging.models import MessagingCounter
from chassis.messaging.topology import dead_letter_queue
from chassis_testing.waiting import wait_until
from tests.conftest import consumer_count, queue_depth
from tests.support.events import envelope, order_created
from tests.testapp.models import Receipt

pytestmark = pytest.mark.processes


def start_consumers(start_process, channel, queue, consumer_env, count=1, url=None):
    env = {**consumer_env, **({"RABBITMQ_URL": url} if url else {})}
    processes = [start_process("consume", "receipts", env=env) for _ in range(count)]
    wait_until(lambda: consumer_count(channel, queue) == count, timeout=15, message="consumers to attach")
    return processes


def send(channel, body: bytes, routing_key="order.created", message_id=None):
    properties = pika.BasicProperties(delivery_mode=2, message_id=message_id, content_type="application/json")
    channel.basic_publish(settings.EVENTS_EXCHANGE, routing_key, body, properties)


def counter(name: str) -> int:
    return sum(MessagingCounter.objects.filter(name=name).values_list("value", flat=True))


def test_duplicates_across_two_consumer_processes_change_nothing(start_process, channel, consumer_queue, consumer_env):
    start_consumers(start_process, channel, consumer_queue, consumer_env, count=2)
    events = [envelope(data=order_created("slow:0.2")) for _ in range(4)]
    for _ in range(4):
        for event in events:
            send(channel, event.to_json(), message_id=event.id)
    wait_until(lambda: counter("consumed") + counter("duplicates") == 16, timeout=30, message="16 deliveries")
    assert Receipt.objects.count() == 4
    assert sorted(str(r.event_id) for r in Receipt.objects.all()) == sorted(e.id for e in events)
    assert (counter("consumed"), counter("duplicates")) == (4, 12)
    wait_until(lambda: queue_depth(channel, consumer_queue) == 0, timeout=5, message="queue drained")


def test_invalid_message_is_dead_lettered_at_once_and_the_queue_moves_on(
    start_process, channel, consumer_queue, consumer_env
):
    start_consumers(start_process, channel, consumer_queue, consumer_env)
    send(channel, b"{not json")
    send(channel, envelope(data={**order_created(), "currency": "euros"}).to_json())
    good = envelope()
    send(channel, good.to_json())
    wait_until(lambda: Receipt.objects.filter(event_id=good.id).exists(), timeout=15, message="good event handled")
    wait_until(
        lambda: queue_depth(channel, dead_letter_queue(consumer_queue)) == 2, timeout=5, message="two dead letters"
    )
    assert counter("dead_lettered") == 2 and counter("handler_failures") == 0


def test_poison_message_is_dead_lettered_after_the_delivery_limit(start_process, channel, consumer_queue, consumer_env):
    start_consumers(start_process, channel, consumer_queue, consumer_env)
    poison = envelope(data=order_created("poison"))
    send(channel, poison.to_json())
    good = [envelope() for _ in range(3)]
    for event in good:
        send(channel, event.to_json())
    wait_until(lambda: Receipt.objects.count() == 3, timeout=15, message="events behind the poison handled")
    wait_until(
        lambda: queue_depth(channel, dead_letter_queue(consumer_queue)) == 1, timeout=15, message="poison dead-lettered"
    )
    _, _, body = channel.basic_get(dead_letter_queue(consumer_queue), auto_ack=True)
    assert poison.id.encode() in body
    assert counter("handler_failures") == settings.EVENTS_DELIVERY_LIMIT + 1
    assert queue_depth(channel, consumer_queue) == 0


def test_slow_handler_keeps_the_connection_alive(start_process, channel, consumer_queue, consumer_env, broker_url):
    separator = "&" if "?" in broker_url else "?"
    (consumer,) = start_consumers(
        start_process, channel, consumer_queue, consumer_env, url=f"{broker_url}{separator}heartbeat=1"
    )
    slow = envelope(data=order_created("slow:4"))
    send(channel, slow.to_json())
    wait_until(lambda: Receipt.objects.filter(event_id=slow.id).exists(), timeout=15, message="slow event handled")
    wait_until(lambda: queue_depth(channel, consumer_queue) == 0, timeout=5, message="ack")
    assert "connection lost" not in consumer.output()
    assert (counter("consumed"), counter("duplicates")) == (1, 0)


def test_a_consuming_process_keeps_its_heartbeat_file_fresh(
    start_process, channel, consumer_queue, consumer_env, tmp_path
):
    beacon = tmp_path / "heartbeat"
    start_process("consume", "receipts", env={**consumer_env, "WORKER_HEARTBEAT_FILE": str(beacon)})
    wait_until(lambda: beacon.exists(), timeout=15, message="the first heartbeat")
    first = beacon.stat().st_mtime
    wait_until(lambda: beacon.stat().st_mtime > first, timeout=5, message="a later heartbeat")
    assert is_alive(str(beacon), within_seconds=5)
    assert not is_alive(str(tmp_path / "never-written"), within_seconds=5)
