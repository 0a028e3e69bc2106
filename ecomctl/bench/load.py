"""Orders driven from the run's customers, in one asynchronous process: each customer has
one request in flight at a time (a closed loop, as a person at a checkout), and a run stops
after a number of orders or seconds. With a rate the whole run is paced to that many orders
a second instead of as fast as they are answered.

Every answer is recorded. A customer told to wait (429, or 503 with Retry-After) waits as
asked and sends the same order again under the same Idempotency-Key, as a careful client
does, so a retry can never make a second order."""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp

from ecomctl.bench.customers import Customer

RETRIES_PER_ORDER = 5
NO_ANSWER = 0  # the status recorded when the connection failed or timed out
RETRYABLE = {NO_ANSWER, 429, 502, 503, 504}


@dataclass(frozen=True)
class Attempt:
    status: int
    seconds: float  # from sending the request to the whole answer read
    order_id: str | None = None  # the order created (201)


@dataclass(frozen=True)
class LoadPlan:
    product_ids: list[int]
    payment_method: str
    orders: int | None = None  # stop after this many orders were tried ...
    duration: float | None = None  # ... or after this many seconds
    rate: float | None = None  # orders/s for the whole run; None: as fast as they are answered


@dataclass
class LoadResult:
    attempts: list[Attempt]
    orders_tried: int  # orders sent at least once (an order retried counts once)
    seconds: float  # from the first order sent to the last answer

    @property
    def created(self) -> list[str]:
        return [attempt.order_id for attempt in self.attempts if attempt.order_id]


async def drive(customers: list[Customer], plan: LoadPlan, on_attempt: Callable[[Attempt], None]) -> LoadResult:
    loop = asyncio.get_running_loop()
    started = loop.time()
    tickets = itertools.count()  # shared: each order tried has a number, in sending order
    attempts: list[Attempt] = []
    tried = 0

    def record(attempt: Attempt) -> None:
        attempts.append(attempt)
        on_attempt(attempt)

    async def checkout(customer: Customer) -> None:
        nonlocal tried
        while True:
            ticket = next(tickets)
            if plan.orders is not None and ticket >= plan.orders:
                return
            if plan.duration is not None and loop.time() - started >= plan.duration:
                return
            if plan.rate:
                await asyncio.sleep(max(0.0, started + ticket / plan.rate - loop.time()))
                if plan.duration is not None and loop.time() - started >= plan.duration:
                    return
            tried += 1
            await _place_one(customer, plan, ticket, record)

    await asyncio.gather(*(checkout(customer) for customer in customers))
    return LoadResult(attempts, tried, loop.time() - started)


async def _place_one(customer: Customer, plan: LoadPlan, ticket: int, record: Callable[[Attempt], None]) -> None:
    body = {
        "items": [{"product_id": plan.product_ids[ticket % len(plan.product_ids)], "quantity": 1}],
        "payment_method": plan.payment_method,
    }
    headers = {**customer.headers, "Idempotency-Key": str(uuid.uuid4())}
    for _ in range(RETRIES_PER_ORDER):
        sent = time.perf_counter()
        wait = 0.5
        try:
            async with customer.session.post("/orders/", json=body, headers=headers) as response:
                answer = await response.json(content_type=None)
                status = response.status
                wait = float(response.headers.get("Retry-After", wait))
        except (aiohttp.ClientError, TimeoutError, ValueError):
            status, answer = NO_ANSWER, None
        created = answer.get("id") if status == 201 and isinstance(answer, dict) else None
        record(Attempt(status, time.perf_counter() - sent, created))
        if status not in RETRYABLE:
            return
        await asyncio.sleep(wait)
