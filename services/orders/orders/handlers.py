"""The payment results this service consumes, translated into order service calls."""

from __future__ import annotations

from chassis.messaging.envelope import Envelope
from orders.services import order_cancel, order_confirm


def payment_succeeded(event: Envelope) -> None:
    order_confirm(order_id=event.data["order_id"], event_id=event.id, reason="payment succeeded")


def payment_failed(event: Envelope) -> None:
    order_cancel(order_id=event.data["order_id"], reason=f"payment failed: {event.data['reason']}", event_id=event.id)


HANDLERS = {
    "payment.succeeded": payment_succeeded,
    "payment.failed": payment_failed,
}
