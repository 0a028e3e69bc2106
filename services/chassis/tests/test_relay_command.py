"""`relay_outbox` and `consume` as real processes: the whole path, and a broker that is
unreachable until a forwarder starts."""

import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import transaction

from chassis.messaging import publish
from chassis.messaging.models import OutboxMessage
from chassis_testing.waiting import wait_until
from tests.conftest import consumer_count
from tests.support.events import order_created
from tests.support.forwarder import TcpForwarder
from tests.testapp.models import Receipt

pytestmark = pytest.mark.processes


def pending() -> int:
    return OutboxMessage.objects.filter(published_at__isnull=True).count()


def test_events_flow_from_outbox_through_relay_to_consumer(start_process, channel, consumer_queue, consumer_env):
    start_process("consume", "receipts", env=consumer_env)
    start_process("relay_outbox")
    wait_until(lambda: consumer_count(channel, consumer_queue) == 1, timeout=15, message="consumer")
    with transaction.atomic():
        events = [publish("order.created", order_created()) for _ in range(50)]
    wait_until(lambda: Receipt.objects.count() == 50, timeout=20, message="50 events consumed")
    assert pending() == 0
    assert {str(r.event_id) for r in Receipt.objects.all()} == {e.id for e in events}


def test_relay_keeps_events_while_the_broker_is_unreachable(start_process, tap, broker_url):
    broker = urlsplit(broker_url)
    forwarder = TcpForwarder(target_host=broker.hostname, target_port=broker.port or 5672)
    try:
        # The same account and vhost, through a port that answers only once started.
        broker_behind_forwarder = urlunsplit(
            broker._replace(netloc=f"{broker.netloc.rpartition('@')[0]}@127.0.0.1:{forwarder.port}")
        )
        relay = start_process("relay_outbox", env={"RABBITMQ_URL": broker_behind_forwarder})
        with transaction.atomic():
            event = publish("order.created", order_created())
        wait_until(
            lambda: OutboxMessage.objects.get(id=event.id).attempts >= 2, timeout=15, message="failed attempts recorded"
        )
        row = OutboxMessage.objects.get(id=event.id)
        assert row.published_at is None and "broker unreachable" in row.last_error
        assert tap.drain() == []
        forwarder.start()
        wait_until(lambda: pending() == 0, timeout=15, message="published once the broker is reachable")
        time.sleep(0.2)  # confirmed, so at the tap already: long enough for a second publish to arrive too
        assert [body["id"] for _, body in tap.drain()] == [event.id]
        assert "publish failed; retrying" in relay.output()
    finally:
        forwarder.close()


def test_relay_wakes_on_notify_rather_than_waiting_for_the_poll(start_process, tap):
    relay = start_process("relay_outbox", "--poll-interval", "30")
    wait_until(lambda: "outbox relay started" in relay.output(), timeout=15, message="relay start")
    time.sleep(1)  # its first, empty batch done, it now sleeps on LISTEN
    with transaction.atomic():
        event = publish("order.created", order_created())
    started = time.monotonic()
    wait_until(lambda: pending() == 0, timeout=10, message="relay woken by NOTIFY")
    assert time.monotonic() - started < 5
    assert [body["id"] for _, body in tap.drain()] == [event.id]


def test_an_idle_relay_keeps_its_heartbeat_file_fresh(start_process, tmp_path):
    beacon = tmp_path / "heartbeat"
    start_process("relay_outbox", env={"WORKER_HEARTBEAT_FILE": str(beacon)})
    wait_until(lambda: beacon.exists(), timeout=15, message="the first heartbeat")
    first = beacon.stat().st_mtime
    wait_until(lambda: beacon.stat().st_mtime > first, timeout=5, message="a later heartbeat while idle")
