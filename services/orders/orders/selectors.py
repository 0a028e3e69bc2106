"""Reads of orders; they never call the catalog, so they keep working when it is down."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from orders.models import Order


def order_list(*, customer_id: str | None = None) -> QuerySet[Order]:
    """Orders newest first, with their lines and history; every customer's when customer_id is None."""
    orders = Order.objects.prefetch_related("items", "status_history")
    if customer_id is not None:
        orders = orders.filter(customer_id=customer_id)
    return orders


def order_get(*, order_id: uuid.UUID, customer_id: str | None = None) -> Order | None:
    """One order, or None when it does not exist or belongs to someone other than customer_id."""
    return order_list(customer_id=customer_id).filter(id=order_id).first()
