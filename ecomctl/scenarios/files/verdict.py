"""The invariants every run is judged by, over what it recorded, whatever its own probes
said (as Jepsen and Maelstrom judge a history): every order placed reached a final state,
at most one successful charge per order, one payment outcome per order.created, one
notification per final order, no event left in an outbox, no unexpected dead letter, no
request timed out, one order per idempotency key."""

from __future__ import annotations

import re
import time
from collections import Counter

from ecomctl.broker.queues import consumer_queues, dead_letter_queue, queue_depths
from ecomctl.runtime.base import Runtime
from ecomctl.runtime.errors import RuntimeProblem
from ecomctl.scenarios.files.record import RunRecord
from ecomctl.scenarios.script import Invariant, ScenarioRun
from ecomctl.scenarios.watch import EventWatch
from ecomctl.shop.orders import FINAL_STATES

FINAL_TIMEOUT = 60.0
SETTLE_TIMEOUT = 30.0
OUTCOMES = ("payment.succeeded", "payment.failed")
OUTBOX_METRIC = "ecomlab_outbox_pending"
LEDGER = "/payments/provider/charges/"
TIMED_OUT = (0, 504)  # no answer within the client's timeout, or the gateway's


def dead_letter_depths(run: ScenarioRun) -> dict[str, int]:
    queues = [dead_letter_queue(queue) for queue in consumer_queues(run.runtime.stack)]
    return {depth.name: depth.messages or 0 for depth in queue_depths(run.broker_url, queues)}


def judge(run: ScenarioRun, record: RunRecord, watch: EventWatch) -> list[Invariant]:
    admin = run.admin()
    orders = _final_orders(admin, record.accepted_ids)
    payments = admin.every("/payments/")
    return [
        _every_order_final(orders),
        _at_most_one_charge(admin, record.accepted_ids),
        _one_outcome_per_order_created(watch, record.accepted_ids, payments),
        _one_notification_per_final_order(admin, orders),
        _outboxes_drained(run),
        _no_unexpected_dead_letters(run, record),
        _no_request_timed_out(record),
        _one_order_per_idempotency_key(record),
    ]


def _final_orders(admin, order_ids: list[str]) -> dict[str, str]:
    statuses: dict[str, str] = {}
    deadline = time.monotonic() + FINAL_TIMEOUT
    for order_id in order_ids:
        while True:
            statuses[order_id] = admin.request("GET", f"/orders/{order_id}/")["status"]
            if statuses[order_id] in FINAL_STATES or time.monotonic() >= deadline:
                break
            time.sleep(0.25)
    return statuses


def _every_order_final(orders: dict[str, str]) -> Invariant:
    stuck = [order_id[:8] for order_id, status in orders.items() if status not in FINAL_STATES]
    return Invariant(
        "every order placed reached a final state",
        not stuck,
        len(orders),
        f"still PENDING: {', '.join(stuck)}" if stuck else f"{len(orders)} of {len(orders)} final",
    )


def _at_most_one_charge(admin, order_ids: list[str]) -> Invariant:
    """Counted in the provider's ledger, the money actually taken: payments' own table has
    one row per order by construction, so it could not show a second charge."""
    charged = {
        order_id: sum(
            1
            for charge in admin.request("GET", LEDGER, params={"reference": order_id})["results"]
            if charge["outcome"] == "succeeded"
        )
        for order_id in order_ids
    }
    twice = [f"{order_id[:8]} (×{count})" for order_id, count in charged.items() if count > 1]
    return Invariant(
        "at most one successful charge per order",
        not twice,
        len(order_ids),
        f"charged more than once: {', '.join(twice)}" if twice else f"{sum(charged.values())} charges at the provider",
    )


def _one_outcome_per_order_created(watch: EventWatch, order_ids: list[str], payments: list[dict]) -> Invariant:
    def outcomes() -> dict[str, int]:
        return {
            order_id: sum(1 for kind in watch.types_for_order(order_id) if kind in OUTCOMES) for order_id in order_ids
        }

    deadline = time.monotonic() + SETTLE_TIMEOUT
    counted = outcomes()
    while any(count == 0 for count in counted.values()) and time.monotonic() < deadline:
        time.sleep(0.25)
        counted = outcomes()
    wrong = [f"{order_id[:8]} ({count})" for order_id, count in counted.items() if count != 1]
    if wrong and watch.had_gaps:
        # The tap lost the broker for a while (a scenario stopped it): the payment records decide.
        recorded = Counter(payment["order_id"] for payment in payments if payment["order_id"] in order_ids)
        wrong = [f"{order_id[:8]} ({recorded[order_id]})" for order_id in order_ids if recorded[order_id] != 1]
        return Invariant(
            "one payment outcome per order.created",
            not wrong,
            len(order_ids),
            "from the payment records (the tap had gaps)" + (f"; wrong: {', '.join(wrong)}" if wrong else ""),
        )
    return Invariant(
        "one payment outcome per order.created",
        not wrong,
        len(order_ids),
        f"not exactly one: {', '.join(wrong)}" if wrong else f"{len(order_ids)} outcomes seen by the tap",
    )


def _one_notification_per_final_order(admin, orders: dict[str, str]) -> Invariant:
    final = {order_id for order_id, status in orders.items() if status in FINAL_STATES}

    def sent() -> Counter:
        notifications = admin.every("/notifications/")
        return Counter(notification["order_id"] for notification in notifications if notification["order_id"] in final)

    deadline = time.monotonic() + SETTLE_TIMEOUT
    counted = sent()
    while any(counted[order_id] == 0 for order_id in final) and time.monotonic() < deadline:
        time.sleep(0.25)
        counted = sent()
    wrong = [f"{order_id[:8]} ({counted[order_id]})" for order_id in final if counted[order_id] != 1]
    return Invariant(
        "one notification per final order",
        not wrong,
        len(final),
        f"not exactly one: {', '.join(wrong)}" if wrong else f"{len(final)} notifications",
    )


def _outboxes_drained(run: ScenarioRun) -> Invariant:
    publishers = [service.name for service in run.runtime.stack.services if service.publishes]
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        pending = {service: outbox_pending(run.runtime, service) for service in publishers}
        if not any(pending.values()) or time.monotonic() >= deadline:
            break
        time.sleep(0.5)
    left = [f"{service} ({count})" for service, count in pending.items() if count]
    return Invariant(
        "no event left unpublished in an outbox",
        not left,
        len(publishers),
        f"pending: {', '.join(left)}" if left else f"{len(publishers)} outboxes empty",
    )


def outbox_pending(runtime: Runtime, service: str) -> int:
    """Events the service stored and its relay has not published yet; -1 when it cannot say."""
    try:
        text = runtime.internal_get(service, "/internal/metrics")
    except (OSError, RuntimeProblem):  # a service that cannot answer counts as not drained
        return -1
    values = re.findall(rf"^{OUTBOX_METRIC}(?:{{[^}}]*}})? (\S+)$", text, re.MULTILINE)
    return int(sum(float(value) for value in values))


def _no_unexpected_dead_letters(run: ScenarioRun, record: RunRecord) -> Invariant:
    now = dead_letter_depths(run)
    grew = [
        f"{queue} (+{depth - record.dead_letters_at_start.get(queue, 0)})"
        for queue, depth in now.items()
        if depth > record.dead_letters_at_start.get(queue, 0) and queue not in record.expected_dead_letters
    ]
    return Invariant(
        "no unexpected dead letters",
        not grew,
        len(now),
        f"new dead letters in {', '.join(grew)}" if grew else f"{len(now)} dead-letter queues as expected",
    )


def _no_request_timed_out(record: RunRecord) -> Invariant:
    """Failing fast is a promise too: a refusal is an answer, a hung request is not."""
    hung = [order for order in record.placed if order.status in TIMED_OUT]
    return Invariant(
        "no request timed out",
        not hung,
        len(record.placed),
        "; ".join(
            f"POST /orders/ {'got 504' if order.status else 'no answer'} after {order.seconds:.1f} s" for order in hung
        )
        if hung
        else f"{len(record.placed)} answered",
    )


def _one_order_per_idempotency_key(record: RunRecord) -> Invariant:
    orders_by_key: dict[str, set[str]] = {}
    for order in record.placed:
        if order.order_id:
            orders_by_key.setdefault(order.idempotency_key, set()).add(order.order_id)
    doubled = {key: ids for key, ids in orders_by_key.items() if len(ids) > 1}
    return Invariant(
        "one order per idempotency key",
        not doubled,
        len(orders_by_key),
        "; ".join(f"key {key.split('-', 1)[-1]!r} made {len(ids)} orders" for key, ids in doubled.items())
        if doubled
        else f"{len(orders_by_key)} keys, one order each",
    )
