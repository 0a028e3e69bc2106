"""Events the notifications service consumes, each translated into a service call."""

from __future__ import annotations

import uuid
from decimal import Decimal

from chassis.messaging.envelope import Envelope
from notifications.models import Notification
from notifications.services import notification_send_for_order


def _notify(event: Envelope, kind: str) -> None:
    data = event.data
    notification_send_for_order(
        order_id=uuid.UUID(data["order_id"]),
        kind=kind,
        customer_id=data["customer"]["id"],
        email=data["customer"]["email"],
        total=Decimal(data["total"]),
        currency=data["currency"],
        reason=data["reason"],
    )


def notify_order_confirmed(event: Envelope) -> None:
    _notify(event, Notification.Kind.ORDER_CONFIRMED)


def notify_order_cancelled(event: Envelope) -> None:
    _notify(event, Notification.Kind.ORDER_CANCELLED)


HANDLERS = {
    "order.confirmed": notify_order_confirmed,
    "order.cancelled": notify_order_cancelled,
}
