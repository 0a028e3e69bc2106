"""Writes of the orders service, one module per topic:

services
├── placing       order_quote (prices from catalog), order_create (order + order.created)
├── transitions   order_confirm, order_cancel (the payment outcome, from events)
└── idempotency   idempotency_claim / _complete / _release / _purge_expired
"""

from orders.services.idempotency import (
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
    idempotency_claim,
    idempotency_complete,
    idempotency_purge_expired,
    idempotency_release,
)
from orders.services.placing import (
    InvalidOrder,
    PlacedOrder,
    Quote,
    QuotedLine,
    RequestedItem,
    order_create,
    order_quote,
)
from orders.services.transitions import order_cancel, order_confirm

__all__ = [
    "IdempotencyKeyInUse",
    "IdempotencyKeyReused",
    "InvalidOrder",
    "PlacedOrder",
    "Quote",
    "QuotedLine",
    "RequestedItem",
    "idempotency_claim",
    "idempotency_complete",
    "idempotency_purge_expired",
    "idempotency_release",
    "order_cancel",
    "order_confirm",
    "order_create",
    "order_quote",
]
