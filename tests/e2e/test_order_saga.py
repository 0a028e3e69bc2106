"""The order saga across real processes: relays, consumers, the broker and the databases
are all real, and each fault is real (a stopped broker, a SIGKILLed consumer). Every test
ends by checking the invariants of Shop.assert_invariants."""

from __future__ import annotations

import json
import threading
import uuid

import pika
import psycopg
import pytest

from chassis_testing.waiting import wait_until
from ecomctl.broker.queues import queue_depths


@pytest.fixture(autouse=True)
def invariants(shop):
    yield
    shop.assert_invariants()


def test_happy_path_and_each_decline_token(shop):
    customer = shop.new_customer()
    expected = {
        "tok_visa": ("CONFIRMED", None),
        "tok_chargeDeclined": ("CANCELLED", "card_declined"),
        "tok_insufficientFunds": ("CANCELLED", "insufficient_funds"),
    }
    placed = {token: shop.place(customer, token) for token in expected}

    for token, (status, reason) in expected.items():
        order = shop.wait_final(placed[token]["id"])
        assert order["status"] == status, token
        payment = shop.payments_for(order["id"])[0]
        assert payment["status"] == ("FAILED" if reason else "SUCCEEDED")
        assert payment["failure_reason"] == (reason or "")
    history = [change["status"] for change in shop.order(placed["tok_visa"]["id"])["status_history"]]
    assert history == ["PENDING", "CONFIRMED"]
    own_notifications = customer.request("GET", "/notifications/")["results"]
    assert len(own_notifications) == 3


def test_orders_are_accepted_while_the_broker_is_down_and_complete_when_it_returns(shop):
    customer = shop.new_customer()
    shop.runtime.stop("rabbitmq")
    try:
        orders = [shop.place(customer) for _ in range(3)]
        assert {order["status"] for order in orders} == {"PENDING"}
        assert shop.metric("orders", "ecomlab_outbox_pending") >= 3
    finally:
        shop.runtime.start("rabbitmq")

    for order in orders:
        assert shop.wait_final(order["id"], timeout=60)["status"] == "CONFIRMED"


def test_consumers_resume_by_themselves_after_a_broker_restart(shop):
    shop.runtime.restart("rabbitmq")

    order = shop.place(shop.new_customer())

    assert shop.wait_final(order["id"], timeout=60)["status"] == "CONFIRMED"


def _outbox_row(shop, service: str, event_type: str, order_id: str) -> dict:
    url = shop.runtime.infrastructure.database_url(shop.runtime.stack.service(service))
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT payload FROM messaging_outbox WHERE event_type = %s AND payload->'data'->>'order_id' = %s",
            [event_type, order_id],
        ).fetchone()
    return row[0]


def _publish(shop, routing_key: str, body: bytes, message_id: str) -> None:
    connection = pika.BlockingConnection(pika.URLParameters(shop.runtime.broker_url()))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        channel.basic_publish(
            shop.runtime.stack.events["exchange"],
            routing_key,
            body,
            pika.BasicProperties(message_id=message_id, delivery_mode=2, content_type="application/json"),
        )
    finally:
        connection.close()


def test_the_same_order_created_delivered_many_times_at_once_charges_once(shop):
    order = shop.place(shop.new_customer())
    shop.wait_final(order["id"])
    envelope = _outbox_row(shop, "orders", "order.created", order["id"])
    duplicates_before = shop.metric("payments", "ecomlab_events_duplicates_total")

    body = json.dumps(envelope).encode()
    publishers = [
        threading.Thread(target=_publish, args=(shop, "order.created", body, envelope["id"])) for _ in range(5)
    ]
    for publisher in publishers:
        publisher.start()
    for publisher in publishers:
        publisher.join()
    # A business-level duplicate too: the same order under a new message id.
    renamed = {**envelope, "id": str(uuid.uuid4())}
    _publish(shop, "order.created", json.dumps(renamed).encode(), renamed["id"])

    wait_until(
        lambda: shop.metric("payments", "ecomlab_events_duplicates_total") >= duplicates_before + 5,
        message="the duplicates were not all seen by the payments consumer",
    )
    wait_until(lambda: queue_depths(shop.runtime.broker_url(), ["payments.order-created"])[0].messages == 0)
    assert len(shop.payments_for(order["id"])) == 1


def test_a_relay_that_died_before_marking_a_row_published_causes_only_an_absorbed_duplicate(shop):
    """The relay's crash window: the broker confirmed the event, the row was never marked.
    We put the row back in exactly that state; the relay publishes it again."""
    order = shop.place(shop.new_customer())
    shop.wait_final(order["id"])
    envelope = _outbox_row(shop, "orders", "order.created", order["id"])
    duplicates_before = shop.metric("payments", "ecomlab_events_duplicates_total")

    url = shop.runtime.infrastructure.database_url(shop.runtime.stack.service("orders"))
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("UPDATE messaging_outbox SET published_at = NULL WHERE id = %s", [envelope["id"]])

    wait_until(
        lambda: shop.metric("payments", "ecomlab_events_duplicates_total") > duplicates_before,
        message="the republished event never reached payments",
    )
    assert len(shop.payments_for(order["id"])) == 1
    assert [change["status"] for change in shop.order(order["id"])["status_history"]] == ["PENDING", "CONFIRMED"]


def test_a_consumer_killed_while_charging_leaves_nothing_stuck_and_nothing_doubled(shop):
    shop.set_provider(latency_ms=3000)
    try:
        order = shop.place(shop.new_customer())
        # The message is taken (no longer ready) while the slow charge runs.
        wait_until(lambda: queue_depths(shop.runtime.broker_url(), ["payments.order-created"])[0].messages == 0)
        shop.runtime.kill("payments-order-created")
        assert shop.order(order["id"])["status"] == "PENDING"
    finally:
        shop.set_provider(latency_ms=0)
    shop.runtime.start("payments-order-created")

    assert shop.wait_final(order["id"])["status"] == "CONFIRMED"
    assert len(shop.payments_for(order["id"])) == 1


def test_a_poison_message_is_dead_lettered_and_the_queue_keeps_moving(shop):
    _publish(shop, "order.created", b"{this is not an event", str(uuid.uuid4()))

    wait_until(
        lambda: queue_depths(shop.runtime.broker_url(), ["payments.order-created.dlq"])[0].messages >= 1,
        message="the poison message was not dead-lettered",
    )
    order = shop.place(shop.new_customer())
    assert shop.wait_final(order["id"])["status"] == "CONFIRMED"
