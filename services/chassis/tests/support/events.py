"""Valid event data for every contract, and raw envelopes for messages built by hand."""

import uuid

from chassis.messaging.envelope import Envelope

CUSTOMER = {"id": "42", "email": "ada@example.com"}


def order_created(payment_method: str = "tok_visa") -> dict:
    return {
        "order_id": str(uuid.uuid4()),
        "customer": CUSTOMER,
        "items": [{"product_id": 7, "name": "Teapot", "quantity": 2, "unit_price": "9.99"}],
        "total": "19.98",
        "currency": "EUR",
        "payment_method": payment_method,
    }


VALID_DATA = {
    "order.created": order_created,
    "payment.succeeded": lambda: {
        "order_id": str(uuid.uuid4()),
        "payment_id": str(uuid.uuid4()),
        "amount": "19.98",
        "currency": "EUR",
        "provider_charge_id": "ch_123",
    },
    "payment.failed": lambda: {
        "order_id": str(uuid.uuid4()),
        "payment_id": str(uuid.uuid4()),
        "amount": "19.98",
        "currency": "EUR",
        "reason": "card_declined",
    },
    "order.confirmed": lambda: {
        "order_id": str(uuid.uuid4()),
        "customer": CUSTOMER,
        "total": "19.98",
        "currency": "EUR",
        "reason": None,
    },
    "order.cancelled": lambda: {
        "order_id": str(uuid.uuid4()),
        "customer": CUSTOMER,
        "total": "19.98",
        "currency": "EUR",
        "reason": "payment declined",
    },
    "notification.sent": lambda: {
        "notification_id": str(uuid.uuid4()),
        "order_id": str(uuid.uuid4()),
        "customer_id": "42",
        "channel": "email",
        "kind": "order_confirmed",
    },
}


def envelope(event_type: str = "order.created", data: dict | None = None) -> Envelope:
    return Envelope.new(event_type, data if data is not None else VALID_DATA[event_type]())
