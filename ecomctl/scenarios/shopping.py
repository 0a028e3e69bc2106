"""What scenarios do as a customer through the gateway, timed and checked: place an order,
follow it, read a list, and name the events its flow produced."""

from __future__ import annotations

import time

from ecomctl.broker import queue_depths
from ecomctl.ordering import order_place, order_wait
from ecomctl.scenarios.script import ScenarioFailed, ScenarioRun, Step
from ecomctl.scenarios.watch import EventWatch, summary

# Placing an order asks the catalog for prices and writes to the orders database, nothing
# else; it takes a tenth of a second, so two seconds is generous even on a busy machine.
QUICK_ANSWER_SECONDS = 2.0


def short(order_id: str) -> str:
    return order_id[:8]


def place_order(run: ScenarioRun, payment_method: str = "tok_visa") -> tuple[dict, float]:
    """The order as POST /orders/ answered it, and how many seconds the answer took."""
    started = time.monotonic()
    order = order_place(run.customer, product_ids=run.product_ids, quantity=1, payment_method=payment_method)
    return order, time.monotonic() - started


def place_accepted(run: ScenarioRun, step: Step, payment_method: str = "tok_visa",
                   within: float = QUICK_ANSWER_SECONDS) -> dict:
    """Place an order and check it is accepted PENDING at once (within that many seconds)."""
    order, seconds = place_order(run, payment_method)
    run.check(order["status"] == "PENDING",
              f"Order {short(order['id'])} was answered {order['status']}, not PENDING.")
    run.check(seconds < within, f"POST /orders/ took {seconds:.2f} s: placing an order should wait on nothing "
                                f"but orders and its database (and the catalog, for prices).")
    step.saw(f"order {short(order['id'])} accepted: PENDING, answered in {seconds:.2f} s")
    return order


def status_after(run: ScenarioRun, order_id: str, status: str, timeout: float) -> dict:
    """Wait (at most timeout) for the order to reach a final state; check it is `status`."""
    order = order_wait(run.customer, order_id, timeout=timeout)
    run.check(order["status"] == status,
              f"Order {short(order_id)} is {order['status']}, not {status}, after waiting {timeout:g} s.")
    return order


def still_pending(run: ScenarioRun, step: Step, order_id: str, seconds: float) -> None:
    """Check the order stays PENDING for `seconds`."""
    order = order_wait(run.customer, order_id, timeout=seconds)
    run.check(order["status"] == "PENDING",
              f"Order {short(order_id)} became {order['status']} although nothing could have processed it.")
    step.saw(f"order {short(order_id)} still PENDING after {seconds:g} s")


def reads_answer(run: ScenarioRun, step: Step, paths: list[str]) -> None:
    """GET each path as the customer; an error ends the step as failed."""
    timings = []
    for path in paths:
        started = time.monotonic()
        run.customer.request("GET", path, params={"limit": 1})
        timings.append(f"GET {path} {time.monotonic() - started:.2f} s")
    step.saw("answered: " + ", ".join(timings))


def when_changed(order: dict, status: str) -> str:
    """When the order's history says it reached `status` (an ISO timestamp)."""
    return next(change["changed_at"] for change in order["status_history"] if change["status"] == status)


def queue_holds(run: ScenarioRun, queue: str) -> tuple[int, int]:
    """(messages, consumers) of a consumer queue."""
    depth = next(iter(queue_depths(run.broker_url, [queue])))
    run.check(depth.messages is not None, f"Queue {queue} does not exist: has its consumer ever started?")
    return depth.messages, depth.consumers


def flow_events(run: ScenarioRun, step: Step, watch: EventWatch, order_id: str, required: list[str],
                timeout: float = 10.0) -> None:
    """Wait for the order's flow to have produced the required events, and keep them all on the step."""
    try:
        run.eventually(lambda: set(required) <= set(watch.types_for_order(order_id)), timeout, "the events")
    except ScenarioFailed:
        seen = ", ".join(watch.types_for_order(order_id)) or "nothing"
        raise ScenarioFailed(f"The tap saw {seen} for order {short(order_id)} in {timeout:g} s; "
                             f"expected {', '.join(required)}.") from None
    events = watch.for_order(order_id)
    step.events = [summary(event) for event in events]
    flows = {event["flow"] for event in step.events}
    run.check(len(flows) == 1, f"The events of order {short(order_id)} carry {len(flows)} flow ids, not one.")
    step.saw("seen: " + " -> ".join(event.routing_key for event in events))
