"""One benchmark run, start to end: customers, CPU counters, load, settling, the ledger,
CPU counters again, the report. The progress callbacks let a view draw a bar."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ecomctl.bench.customers import Customer, open_session, own_addresses_possible, register, source_address
from ecomctl.bench.load import RETRYABLE, Attempt, LoadPlan, drive
from ecomctl.bench.report import GENERATOR, BenchReport, build_report, cpu_per_order
from ecomctl.bench.settle import settle
from ecomctl.runtime.base import Runtime
from ecomctl.runtime.cpu import own_cpu_seconds
from ecomctl.shop.api_client import ApiClient, ApiError
from ecomctl.shop.logins import admin_login

LEDGER = "/payments/provider/charges/"
LEDGER_PAGE = 1000


@dataclass(frozen=True)
class BenchOptions:
    customers: int
    orders: int | None
    duration: float | None
    rate: float | None
    payment_method: str
    settle_timeout: float = 60.0


@dataclass
class BenchProgress:
    """What a view is told while the run goes on."""

    phase: Callable[[str, int | None], None]  # a new phase and how many steps it has (None: unknown)
    advance: Callable[[int], None]  # steps done in the current phase since the last call


def run_bench(runtime: Runtime, gateway: str, options: BenchOptions, progress: BenchProgress) -> BenchReport:
    admin = admin_login(ApiClient(gateway))
    product_ids = [
        product["id"] for product in admin.request("GET", "/catalog/products/", params={"limit": 20})["results"]
    ]
    if not product_ids:
        raise ApiError("The catalog has no products to order. Run `ecomctl seed` first.")
    return asyncio.run(_run(runtime, gateway, options, progress, admin, product_ids))


async def _run(
    runtime: Runtime,
    gateway: str,
    options: BenchOptions,
    progress: BenchProgress,
    admin: ApiClient,
    product_ids: list[int],
) -> BenchReport:
    own_address = own_addresses_possible(gateway)
    run = uuid.uuid4().hex[:8]
    customers = [
        Customer(f"bench-{run}-{index + 1}@ecomlab.test", open_session(gateway, index, own_address))
        for index in range(options.customers)
    ]
    try:
        progress.phase("registering customers", len(customers))
        await asyncio.gather(*(_registered(customer, run, index, progress) for index, customer in enumerate(customers)))

        cpu_before, generator_before = runtime.cpu_seconds(), own_cpu_seconds()
        plan = LoadPlan(product_ids, options.payment_method, options.orders, options.duration, options.rate)
        progress.phase("placing orders", options.orders)

        def answered(attempt: Attempt) -> None:
            if attempt.status not in RETRYABLE:  # the order is settled one way or the other
                progress.advance(1)

        load = await drive(customers, plan, answered)
        progress.phase("waiting for every order to be final", len(load.created))
        done = 0

        def polled(final: int) -> None:
            nonlocal done
            progress.advance(final - done)
            done = final

        settled = await settle(customers, load.created, timeout=options.settle_timeout, on_poll=polled)
        cpu_after, generator_after = runtime.cpu_seconds(), own_cpu_seconds()
    finally:
        await asyncio.gather(*(customer.session.close() for customer in customers))
    progress.phase("reading the provider's ledger", None)
    charges = _successful_charges(admin, set(load.created))
    cpu = cpu_per_order(cpu_before, cpu_after, len(load.created))
    cpu[GENERATOR] = 1000 * (generator_after - generator_before) / max(len(load.created), 1)
    return build_report(
        runtime=runtime.name,
        customers=len(customers),
        client_addresses=_addresses(runtime, own_address, len(customers)),
        load=load,
        settled=settled,
        charges=charges,
        cpu=cpu,
    )


async def _registered(customer: Customer, run: str, index: int, progress: BenchProgress) -> None:
    await register(customer, run, index)
    progress.advance(1)


def _successful_charges(admin: ApiClient, order_ids: set[str]) -> Counter:
    """Counted in the provider's own ledger, the money actually taken."""
    return Counter(
        charge["reference"]
        for charge in admin.every(LEDGER, page_size=LEDGER_PAGE)
        if charge["outcome"] == "succeeded" and charge["reference"] in order_ids
    )


def _addresses(runtime: Runtime, own_address: bool, customers: int) -> str:
    if not own_address:
        return "one address for every customer (the gateway is not on this machine's loopback)"
    told = f"each customer from its own loopback address ({source_address(0)} to {source_address(customers - 1)})"
    if runtime.name == "docker":
        told += (
            "; docker's port proxy hands the gateway one address for all of them, so the per-client "
            "rate limit applies to them together"
        )
    return told
