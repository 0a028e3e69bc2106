"""The payment results: only a PENDING order moves, once, and announces its new state."""

import threading
import uuid

import pytest

from chassis.messaging.contracts import validate_envelope
from chassis.messaging.envelope import Envelope
from chassis.messaging.inbox import InboxProcessor, Outcome
from chassis.messaging.models import OutboxMessage
from chassis.messaging.registry import load_consumer
from orders.handlers import HANDLERS
from orders.models import Order

pytestmark = pytest.mark.django_db


def payment_event(event_type: str, order_id, *, reason: str = "card_declined") -> Envelope:
    data = {"order_id": str(order_id), "payment_id": str(uuid.uuid4()), "amount": "15.00", "currency": "EUR"}
    data.update({"provider_charge_id": "ch_test"} if event_type == "payment.succeeded" else {"reason": reason})
    # Checked against the contract, exactly as the consumer does before calling a handler.
    return validate_envelope(Envelope.new(event_type, data).to_dict())


def announcements(event_type: str) -> list[dict]:
    return [message.payload["data"] for message in OutboxMessage.objects.filter(event_type=event_type)]


def handle(event: Envelope) -> Order | None:
    HANDLERS[event.type](event)
    return Order.objects.filter(id=event.data["order_id"]).first()


def test_payment_succeeded_confirms_and_announces(customer, make_order):
    order = make_order(customer)
    event = payment_event("payment.succeeded", order.id)

    assert handle(event).status == "CONFIRMED"

    change = order.status_history.last()
    assert (change.status, change.reason) == ("CONFIRMED", "payment succeeded")
    assert str(change.caused_by_event_id) == event.id
    assert announcements("order.confirmed") == [
        {
            "order_id": str(order.id),
            "customer": {"id": customer.id, "email": customer.email},
            "total": "15.00",
            "currency": "EUR",
            "reason": None,
        }
    ]


def test_payment_failed_cancels_with_the_reason(customer, make_order):
    order = make_order(customer)
    event = payment_event("payment.failed", order.id, reason="insufficient_funds")

    assert handle(event).status == "CANCELLED"

    change = order.status_history.last()
    assert (change.status, change.reason, str(change.caused_by_event_id)) == (
        "CANCELLED",
        "payment failed: insufficient_funds",
        event.id,
    )
    [cancelled] = announcements("order.cancelled")
    assert cancelled["reason"] == "payment failed: insufficient_funds"
    assert cancelled["customer"] == {"id": customer.id, "email": customer.email}


@pytest.mark.parametrize(
    ("first", "second", "final"),
    [
        ("payment.succeeded", "payment.succeeded", "CONFIRMED"),
        ("payment.succeeded", "payment.failed", "CONFIRMED"),
        ("payment.failed", "payment.failed", "CANCELLED"),
        ("payment.failed", "payment.succeeded", "CANCELLED"),
    ],
)
def test_duplicate_or_late_outcomes_change_nothing(customer, make_order, first, second, final):
    order = make_order(customer)
    handle(payment_event(first, order.id))

    assert handle(payment_event(second, order.id)).status == final

    assert order.status_history.count() == 2
    assert len(announcements("order.confirmed")) + len(announcements("order.cancelled")) == 1


def test_an_outcome_for_an_unknown_order_is_ignored(customer):
    assert handle(payment_event("payment.succeeded", uuid.uuid4())) is None
    assert handle(payment_event("payment.failed", uuid.uuid4())) is None
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_declared_consumer_handles_a_delivery_once(customer, make_order):
    """The payment-results consumer from settings, fed a raw message and its redelivery; it
    commits its own transactions, so this test runs outside the per-test transaction."""
    order = make_order(customer)
    processor = InboxProcessor(load_consumer("payment-results"), stop=threading.Event())
    body = payment_event("payment.succeeded", order.id).to_json()

    assert processor.process(body, routing_key="payment.succeeded") is Outcome.ACK
    assert processor.process(body, routing_key="payment.succeeded") is Outcome.ACK

    order.refresh_from_db()
    assert order.status == "CONFIRMED" and order.status_history.count() == 2
    assert len(announcements("order.confirmed")) == 1
