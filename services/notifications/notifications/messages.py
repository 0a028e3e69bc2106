"""The words of each notification: subject and plain-text body per kind."""

from __future__ import annotations

import uuid
from decimal import Decimal

from notifications.models import Notification

SIGNATURE = "The ecomlab shop"


def compose(*, kind: str, order_id: uuid.UUID, total: Decimal, currency: str, reason: str | None) -> tuple[str, str]:
    """(subject, body) of the message telling a customer how their order ended."""
    if kind == Notification.Kind.ORDER_CONFIRMED:
        return (
            f"Your order {order_id} is confirmed",
            f"Hello,\n\nthank you for your order {order_id}. We received your payment of "
            f"{total} {currency} and your order is confirmed.\n\n{SIGNATURE}\n",
        )
    return (
        f"Your order {order_id} was cancelled",
        f"Hello,\n\nwe are sorry: your order {order_id} over {total} {currency} was cancelled.\n"
        f"Reason: {reason or 'not given'}.\n\n{SIGNATURE}\n",
    )
