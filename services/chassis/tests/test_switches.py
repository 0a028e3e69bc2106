"""Teaching switches: names checked against the catalog, and each chassis safeguard seen
to go when its switch is on: the outbox (dual-write), the inbox (no-inbox) and the ack
after commit (ack-first), against the real database and broker."""

import logging
import signal
import threading
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import override_settings

from chassis import switches
from chassis.messaging import dual_write, publish
from chassis.messaging.inbox import InboxProcessor, Outcome
from chassis.messaging.models import InboxMessage, OutboxMessage
from chassis.messaging.registry import load_consumer
from chassis_testing.waiting import wait_until
from tests.conftest import consumer_count
from tests.support.events import envelope, order_created
from tests.test_consume_command import send
from tests.testapp.models import Receipt

PAYMENT = {
    "order_id": "5f0e4a3c-8a43-4d5c-9d7e-0b7f1c2d3e4f",
    "payment_id": "7b0c5a4e-3f43-4d5c-9d7e-0b7f1c2d3e4f",
    "amount": "7.50",
    "currency": "EUR",
    "provider_charge_id": "ch_test",
}


def test_names_are_read_from_a_comma_separated_value():
    assert switches.parse("") == frozenset()
    assert switches.parse(" dual-write, no-inbox ,") == {"dual-write", "no-inbox"}


def test_an_unknown_name_is_refused_with_the_known_ones():
    with pytest.raises(
        ImproperlyConfigured,
        match=r"unknown teaching switch\(es\) dual-writes; the switches are: "
        r"ack-first, dual-write, no-breaker",
    ):
        switches.parse("dual-writes")


def test_a_misspelt_name_in_code_is_an_error_not_off():
    with pytest.raises(KeyError):
        switches.is_on("dual_write")


def test_every_switch_says_what_it_turns_off_what_breaks_and_where_it_is_shown():
    for name, switch in switches.catalog().items():
        assert {"safeguard", "instead", "breaks", "shown_by", "invariant"} <= switch.keys(), name


@override_settings(UNSAFE_SWITCHES=frozenset({"dual-write", "ack-first"}))
def test_a_process_with_switches_on_says_so_loudly(caplog):
    with caplog.at_level(logging.WARNING, logger="chassis.switches"):
        switches.announce()

    assert [record.switch for record in caplog.records] == ["ack-first", "dual-write"]
    assert all(record.getMessage().startswith("UNSAFE: ") for record in caplog.records)


@pytest.mark.django_db(transaction=True)
@override_settings(UNSAFE_SWITCHES=frozenset({"dual-write"}))
def test_dual_write_publishes_after_commit_and_stores_nothing(tap):
    with transaction.atomic():
        published = publish("payment.succeeded", PAYMENT)
        assert tap.drain() == []  # not before the commit

    assert not OutboxMessage.objects.exists()
    deadline = time.monotonic() + 5
    seen = []
    while not seen and time.monotonic() < deadline:
        seen = [body for _, body in tap.drain() if body["id"] == published.id]
    assert seen and seen[0]["type"] == "payment.succeeded"


@pytest.mark.django_db(transaction=True)
def test_dual_write_loses_the_event_when_the_broker_does_not_take_it(settings, caplog, monkeypatch):
    monkeypatch.setattr(dual_write, "_local", threading.local())  # no connection left from another test
    settings.UNSAFE_SWITCHES = frozenset({"dual-write"})
    settings.RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:1/%2F"  # nothing listens there

    with caplog.at_level(logging.ERROR, logger="chassis.messaging.dual_write"), transaction.atomic():
        published = publish("payment.succeeded", PAYMENT)

    assert not OutboxMessage.objects.exists()  # nothing left to retry from
    lost = [record for record in caplog.records if record.getMessage().startswith("event lost")]
    assert [record.event_id for record in lost] == [published.id]


@pytest.mark.django_db(transaction=True)
@override_settings(UNSAFE_SWITCHES=frozenset({"no-inbox"}))
def test_no_inbox_handles_a_duplicate_again():
    processor = InboxProcessor(load_consumer("receipts"), stop=threading.Event())
    body = envelope().to_json()

    assert processor.process(body, routing_key="order.created") is Outcome.ACK
    assert processor.process(body, routing_key="order.created") is Outcome.ACK

    assert Receipt.objects.count() == 2 and not InboxMessage.objects.exists()


@pytest.mark.processes
@pytest.mark.parametrize("ack_first", [False, True], ids=["ack-after-commit", "ack-first"])
def test_a_consumer_killed_mid_message(start_process, processes, channel, consumer_queue, consumer_env, ack_first):
    """Killed while its handler runs: the message comes back to the next consumer, unless
    it was acknowledged on arrival."""
    env = {**consumer_env, **({switches.VARIABLE: "ack-first"} if ack_first else {})}
    first = start_process("consume", "receipts", env=env)
    wait_until(lambda: consumer_count(channel, consumer_queue) == 1, timeout=15, message="the consumer to attach")
    event = envelope(data=order_created("slow:3"))
    send(channel, event.to_json(), message_id=event.id)
    wait_until(lambda: "slow handler sleeping" in first.output(), timeout=15, message="the handler to start")

    first.process.send_signal(signal.SIGKILL)
    first.stop()
    processes.remove(first)  # its exit code is the kill's, not a failed shutdown
    start_process("consume", "receipts", env=env)
    wait_until(lambda: consumer_count(channel, consumer_queue) == 1, timeout=15, message="the new consumer to attach")
    time.sleep(5.0)  # long enough for a redelivered message to be handled

    assert Receipt.objects.filter(event_id=event.id).exists() is not ack_first
