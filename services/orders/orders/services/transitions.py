"""The payment outcome applied to an order: only a PENDING order moves, once, and the move
is recorded with its cause and announced as order.confirmed or order.cancelled.

    PENDING ──payment.succeeded──▶ CONFIRMED
    PENDING ──payment.failed─────▶ CANCELLED
"""

from __future__ import annotations

import logging
import uuid

from django.db import transaction

from chassis.messaging import publish
from orders.models import Order, OrderStatus, OrderStatusChange

logger = logging.getLogger(__name__)

_ANNOUNCEMENTS = {OrderStatus.CONFIRMED: "order.confirmed", OrderStatus.CANCELLED: "order.cancelled"}


def order_confirm(
    *, order_id: uuid.UUID | str, event_id: str | None = None, reason: str = "payment succeeded"
) -> Order | None:
    """Confirm a paid order; returns None for an unknown order. The history records
    reason; order.confirmed carries no reason, as its contract says."""
    return _move(order_id=order_id, status=OrderStatus.CONFIRMED, reason=reason, event_id=event_id)


def order_cancel(*, order_id: uuid.UUID | str, reason: str, event_id: str | None = None) -> Order | None:
    """Cancel an order whose payment failed; returns None for an unknown order."""
    return _move(order_id=order_id, status=OrderStatus.CANCELLED, reason=reason, event_id=event_id)


# Inside the consumer's transaction it joins it without a savepoint of its own (two round
# trips fewer per event): the consumer isolates a failing event itself, and any error here
# undoes the whole event anyway.
@transaction.atomic(savepoint=False)
def _move(*, order_id, status: OrderStatus, reason: str, event_id: str | None) -> Order | None:
    log = {"order_id": str(order_id), "target_status": status.value, "event_id": event_id}
    # The row lock orders concurrent outcomes for one order: the second sees the first's result.
    order = Order.objects.select_for_update().filter(id=order_id).first()
    if order is None:
        # Retrying cannot make an order appear that this service never stored.
        logger.warning("payment outcome for an unknown order ignored", extra=log)
        return None
    if order.status != OrderStatus.PENDING:
        level = logging.INFO if order.status == status else logging.WARNING
        logger.log(level, "late or duplicate payment outcome changes nothing", extra={**log, "status": order.status})
        return order
    order.status = status
    order.save(update_fields=["status", "updated_at"])
    OrderStatusChange.objects.create(order=order, status=status, reason=reason, caused_by_event_id=event_id)
    publish(
        _ANNOUNCEMENTS[status],
        {
            "order_id": order.id,
            "customer": {"id": order.customer_id, "email": order.customer_email},
            "total": order.total,
            "currency": order.currency,
            "reason": None if status == OrderStatus.CONFIRMED else reason,
        },
    )
    logger.info("order status changed", extra=log)
    return order
