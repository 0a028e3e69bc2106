"""After the load: wait until every accepted order is final, as each customer sees its own
orders, and read how long each took, from the order's own status history (the services'
clock: created, then confirmed or cancelled)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ecomctl.bench.customers import Customer
from ecomctl.shop.orders import FINAL_STATES

PAGE = 100  # the most orders one page holds
POLL_SECONDS = 0.5


@dataclass
class Settled:
    statuses: dict[str, str] = field(default_factory=dict)  # order id -> status
    final_seconds: dict[str, float] = field(default_factory=dict)  # order id -> created to final
    first_created: datetime | None = None
    last_final: datetime | None = None

    @property
    def never_final(self) -> list[str]:
        return [order_id for order_id, status in self.statuses.items() if status not in FINAL_STATES]

    @property
    def span_seconds(self) -> float:
        """From the first order created to the last one final."""
        if self.first_created is None or self.last_final is None:
            return 0.0
        return max((self.last_final - self.first_created).total_seconds(), 1e-6)


async def settle(
    customers: list[Customer], order_ids: list[str], *, timeout: float, on_poll: Callable[[int], None]
) -> Settled:
    """Poll until every order is final or the timeout passes; on_poll gets the count final."""
    wanted = set(order_ids)
    deadline = time.monotonic() + timeout
    while True:
        pages = await asyncio.gather(*(_own_orders(customer) for customer in customers))
        orders = {order["id"]: order for page in pages for order in page if order["id"] in wanted}
        final = sum(1 for order in orders.values() if order["status"] in FINAL_STATES)
        on_poll(final)
        if final == len(wanted) or time.monotonic() >= deadline:
            return _settled(orders, wanted)
        await asyncio.sleep(POLL_SECONDS)


async def _own_orders(customer: Customer) -> list[dict]:
    orders: list[dict] = []
    while True:
        params = {"limit": PAGE, "offset": len(orders)}
        async with customer.session.get("/orders/", params=params, headers=customer.headers) as response:
            if response.status == 429:
                await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
                continue
            response.raise_for_status()
            page = await response.json()
        orders += page["results"]
        if not page["next"]:
            return orders


def _settled(orders: dict[str, dict], wanted: set[str]) -> Settled:
    settled = Settled(statuses={order_id: orders.get(order_id, {}).get("status", "MISSING") for order_id in wanted})
    for order_id, order in orders.items():
        created = datetime.fromisoformat(order["created_at"])
        settled.first_created = min(filter(None, (settled.first_created, created)))
        final = [
            datetime.fromisoformat(change["changed_at"])
            for change in order["status_history"]
            if change["status"] in FINAL_STATES
        ]
        if final:
            settled.final_seconds[order_id] = (final[0] - created).total_seconds()
            settled.last_final = max(filter(None, (settled.last_final, final[0])))
    return settled
