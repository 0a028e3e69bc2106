"""Placing an order: price it with the catalog (no transaction held open meanwhile), then
store the order, its lines, its first status and the order.created event in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db import transaction

from chassis.messaging import publish
from orders import catalog
from orders.models import Order, OrderItem, OrderStatus, OrderStatusChange

CENT = Decimal("0.01")
# Order.total holds 12 digits, two of them decimals.
MAX_ORDER_TOTAL = Decimal("9999999999.99")


class RequestedItem(TypedDict):
    product_id: int
    quantity: int


class InvalidOrder(ValueError):
    """The catalog refuses what was asked for; fields maps field names to problems in the
    shape of DRF's validation errors, lines by index: {"items": {1: {"product_id": ["..."]}}}."""

    def __init__(self, fields: dict):
        super().__init__("The order cannot be priced.")
        self.fields = fields


@dataclass(frozen=True)
class QuotedLine:
    product_id: int
    name: str
    quantity: int
    unit_price: Decimal

    @property
    def line_total(self) -> Decimal:
        return (self.unit_price * self.quantity).quantize(CENT)


@dataclass(frozen=True)
class Quote:
    lines: tuple[QuotedLine, ...]
    currency: str

    @property
    def total(self) -> Decimal:
        return sum((line.line_total for line in self.lines), Decimal("0.00"))


def order_quote(*, items: list[RequestedItem]) -> Quote:
    """Price the items with the catalog's current prices.

    Raises InvalidOrder for unknown or inactive products, mixed currencies or a total too
    large, and chassis.http.UpstreamUnavailable when the catalog cannot answer."""
    lookup = catalog.product_prices(product_ids=[item["product_id"] for item in items])
    unknown = {
        index: {"product_id": ["No active product has this id."]}
        for index, item in enumerate(items)
        if item["product_id"] not in lookup.prices
    }
    if unknown:
        raise InvalidOrder({"items": unknown})
    lines = tuple(
        QuotedLine(
            product_id=item["product_id"],
            name=lookup.prices[item["product_id"]].name,
            quantity=item["quantity"],
            unit_price=lookup.prices[item["product_id"]].price.quantize(CENT),
        )
        for item in items
    )
    currencies = sorted({lookup.prices[line.product_id].currency for line in lines})
    if len(currencies) > 1:
        raise InvalidOrder(
            {"items": [f"All products of one order must share a currency; these are in {', '.join(currencies)}."]}
        )
    quote = Quote(lines=lines, currency=currencies[0])
    if quote.total > MAX_ORDER_TOTAL:
        raise InvalidOrder({"items": [f"The order total may not exceed {MAX_ORDER_TOTAL} {quote.currency}."]})
    return quote


@dataclass(frozen=True)
class PlacedOrder:
    """A new order with the rows stored beside it, so the caller can answer with all of it
    without reading back what it has just written."""

    order: Order
    items: tuple[OrderItem, ...]
    history: tuple[OrderStatusChange, ...]

    def as_read(self) -> Order:
        """The order as a read with its lines and history prefetched returns it, without
        the read: what was written is attached where prefetch_related leaves it."""
        self.order._prefetched_objects_cache = {"items": list(self.items), "status_history": list(self.history)}
        return self.order


# Inside the caller's transaction it joins it without a savepoint of its own (two round
# trips fewer per order): any error here undoes the whole placement anyway.
@transaction.atomic(savepoint=False)
def order_create(*, customer_id: str, customer_email: str, quote: Quote, payment_method: str) -> PlacedOrder:
    order = Order.objects.create(
        customer_id=customer_id,
        customer_email=customer_email,
        total=quote.total,
        currency=quote.currency,
        payment_method=payment_method,
    )
    items = OrderItem.objects.bulk_create(
        OrderItem(
            order=order,
            product_id=line.product_id,
            name=line.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
            line_total=line.line_total,
        )
        for line in quote.lines
    )
    placed = OrderStatusChange.objects.create(order=order, status=OrderStatus.PENDING, reason="order placed")
    publish(
        "order.created",
        {
            "order_id": order.id,
            "customer": {"id": customer_id, "email": customer_email},
            "items": [
                {
                    "product_id": line.product_id,
                    "name": line.name,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                }
                for line in quote.lines
            ],
            "total": order.total,
            "currency": order.currency,
            "payment_method": payment_method,
        },
    )
    return PlacedOrder(order=order, items=tuple(items), history=(placed,))
