"""The figures of one run, from what the load recorded, what settled, the provider's ledger
and the CPU counters read before and after."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ecomctl.bench.load import NO_ANSWER, LoadResult
from ecomctl.bench.settle import Settled

GENERATOR = "load generator"


@dataclass(frozen=True)
class BenchReport:
    runtime: str
    customers: int
    client_addresses: str  # how the customers appeared to the gateway
    seconds: float  # the load itself, first order sent to last answer
    orders_tried: int
    orders_accepted: int
    orders_confirmed: int
    orders_cancelled: int
    orders_never_final: int
    duplicate_charges: int  # orders the provider charged more than once: must be 0
    accepted_per_second: float
    final_per_second: float  # end to end: first order created to last order final
    post_ms: dict[str, float]  # p50, p90, p99 of every POST /orders/ answered
    final_ms: dict[str, float]  # p50, p99 from created to confirmed or cancelled
    errors_by_status: dict[str, int]
    cpu_ms_per_order: dict[str, float]  # by component, and the load generator's own

    @property
    def sound(self) -> bool:
        """Nothing lost, nothing charged twice."""
        return self.orders_never_final == 0 and self.duplicate_charges == 0


def percentile(values: list[float], p: float) -> float:
    """Nearest rank; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def cpu_per_order(before: dict[str, float], after: dict[str, float], orders: int) -> dict[str, float]:
    used = {name: seconds - before.get(name, 0.0) for name, seconds in after.items()}
    per_order = {name: 1000 * seconds / max(orders, 1) for name, seconds in used.items() if seconds > 0}
    return dict(sorted(per_order.items(), key=lambda item: -item[1]))


def build_report(
    *,
    runtime: str,
    customers: int,
    client_addresses: str,
    load: LoadResult,
    settled: Settled,
    charges: Counter,
    cpu: dict[str, float],
) -> BenchReport:
    created = load.created
    statuses = Counter(settled.statuses.values())
    answered = [attempt.seconds * 1000 for attempt in load.attempts if attempt.status != NO_ANSWER]
    final_ms = [seconds * 1000 for seconds in settled.final_seconds.values()]
    errors = Counter(
        "no answer" if attempt.status == NO_ANSWER else str(attempt.status)
        for attempt in load.attempts
        if attempt.status != 201
    )
    return BenchReport(
        runtime=runtime,
        customers=customers,
        client_addresses=client_addresses,
        seconds=round(load.seconds, 2),
        orders_tried=load.orders_tried,
        orders_accepted=len(created),
        orders_confirmed=statuses["CONFIRMED"],
        orders_cancelled=statuses["CANCELLED"],
        orders_never_final=len(settled.never_final),
        duplicate_charges=sum(1 for order_id in created if charges[order_id] > 1),
        accepted_per_second=round(len(created) / max(load.seconds, 1e-6), 1),
        final_per_second=round((len(created) - len(settled.never_final)) / settled.span_seconds, 1)
        if settled.span_seconds
        else 0.0,
        post_ms={f"p{p}": round(percentile(answered, p), 1) for p in (50, 90, 99)},
        final_ms={f"p{p}": round(percentile(final_ms, p), 1) for p in (50, 99)},
        errors_by_status=dict(sorted(errors.items())),
        cpu_ms_per_order={name: round(ms, 2) for name, ms in cpu.items()},
    )
