"""Events the payments service consumes, each translated into a service call."""

from __future__ import annotations

import uuid
from decimal import Decimal

from chassis.messaging.envelope import Envelope
from payments.services import payment_charge_order


def charge_order(event: Envelope) -> None:
    """order.created: charge the order's total. A ProviderUnavailable raised here rolls
    the delivery back and the runner requeues it; after the queue's delivery limit the
    message is dead-lettered to payments.order-created.dlq, the order stays PENDING, and
    an operator replays the message once the provider is back (nothing was charged or
    recorded, and a replay charges at most once)."""
    data = event.data
    payment_charge_order(
        order_id=uuid.UUID(data["order_id"]),
        customer_id=data["customer"]["id"],
        amount=Decimal(data["total"]),
        currency=data["currency"],
        payment_method=data["payment_method"],
    )


HANDLERS = {"order.created": charge_order}
