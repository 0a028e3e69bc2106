"""Scenarios where one part of the stack goes away: the payment service, the broker, or one
service's database. Each checks that the rest keeps working and that recovery is the real
mechanism (durable queues, the transactional outbox, reconnecting workers)."""

from __future__ import annotations

import time

from ecomctl.client import ApiError
from ecomctl.scenarios.script import Scenario, ScenarioFailed, ScenarioRun, Step
from ecomctl.scenarios.shopping import (
    QUICK_ANSWER_SECONDS, flow_events, place_accepted, place_order, queue_holds, reads_answer, short, status_after,
    still_pending,
)
from ecomctl.scenarios.watch import EventWatch, summary

PENDING_CHECK_SECONDS = 3.0
RECOVERY_TIMEOUT = 45.0  # workers retry with at most 5 s between attempts; this leaves room
PAYMENTS_QUEUE = "payments.order-created"


def payments_outage(run: ScenarioRun) -> None:
    with EventWatch(run.broker_url, run.exchange) as watch:
        with run.step("Kill payments: its web process, relay and consumer (SIGKILL)",
                      expect="nothing else notices: no service calls payments") as step:
            run.breaks("start payments", lambda: run.runtime.start("payments"))
            run.runtime.kill("payments")
            step.saw("payments killed")
        with run.step("Place an order as alice",
                      expect="accepted at once, PENDING: placing never waits on payments") as step:
            order = place_accepted(run, step)
        with run.step(f"Wait {PENDING_CHECK_SECONDS:g} s and look at the order and the queue",
                      expect=f"still PENDING; order.created waits in {PAYMENTS_QUEUE}, no consumer") as step:
            still_pending(run, step, order["id"], PENDING_CHECK_SECONDS)
            messages, consumers = run.eventually(lambda: _holding(run, PAYMENTS_QUEUE), 10,
                                                 f"order.created to arrive in {PAYMENTS_QUEUE}")
            run.check(consumers == 0, f"{PAYMENTS_QUEUE} has {consumers} consumer(s) with payments killed.")
            step.saw(f"{PAYMENTS_QUEUE}: {messages} message(s), {consumers} consumers")
        with run.step("Read orders and the catalog", expect="both answer: the outage stays inside payments") as step:
            reads_answer(run, step, ["/orders/", "/catalog/products/"])
        with run.step("Start payments again", expect="its consumer takes the waiting message") as step:
            run.mend("start payments")
            back = time.monotonic()
            step.saw("payments started and healthy")
        with run.step("Follow the order", expect="CONFIRMED, charged once the consumer is back") as step:
            status_after(run, order["id"], "CONFIRMED", RECOVERY_TIMEOUT)
            step.saw(f"order {short(order['id'])} CONFIRMED {time.monotonic() - back:.1f} s after payments was back")
        with run.step("Show the order's events from the live tap",
                      expect="order.created, payment.succeeded, order.confirmed, one flow") as step:
            flow_events(run, step, watch, order["id"], ["order.created", "payment.succeeded", "order.confirmed"])


def broker_outage(run: ScenarioRun) -> None:
    with run.step("Stop RabbitMQ", expect="services keep running; relays and consumers retry") as step:
        run.breaks("start rabbitmq", lambda: run.runtime.start("rabbitmq"))
        run.runtime.stop("rabbitmq")
        step.saw("rabbitmq stopped")
    with run.step("Place an order as alice",
                  expect="accepted, PENDING: order.created is kept in the orders outbox, same transaction") as step:
        order = place_accepted(run, step)
    with run.step(f"Wait {PENDING_CHECK_SECONDS:g} s, reading orders and the catalog",
                  expect="reads answer; the order stays PENDING, nothing can carry its event") as step:
        reads_answer(run, step, ["/orders/", "/catalog/products/"])
        still_pending(run, step, order["id"], PENDING_CHECK_SECONDS)
    with run.step("Start RabbitMQ again",
                  expect="no one is restarted: relays and consumers reconnect by themselves") as step:
        run.mend("start rabbitmq")
        back = time.monotonic()
        step.saw("rabbitmq started and healthy")
    # Opened once the broker is back, it shows whatever part of the flow came after that.
    with (EventWatch(run.broker_url, run.exchange) as watch,
          run.step("Follow the order", expect="CONFIRMED by itself: the relay publishes, payments charges") as step):
        status_after(run, order["id"], "CONFIRMED", RECOVERY_TIMEOUT)
        step.saw(f"order {short(order['id'])} CONFIRMED {time.monotonic() - back:.1f} s after the broker was back")
        step.events = [summary(event) for event in watch.for_order(order["id"])]
    with run.step(f"Look at {PAYMENTS_QUEUE}", expect="its consumer is back and nothing is left waiting") as step:
        messages, consumers = run.eventually(lambda: _drained(run, PAYMENTS_QUEUE), 10,
                                             f"{PAYMENTS_QUEUE} to have its consumer back and be empty")
        step.saw(f"{PAYMENTS_QUEUE}: {messages} message(s), {consumers} consumer(s)")


def _holding(run: ScenarioRun, queue: str) -> tuple[int, int] | None:
    """(messages, consumers) once the queue holds a message."""
    messages, consumers = queue_holds(run, queue)
    return (messages, consumers) if messages else None


def _drained(run: ScenarioRun, queue: str) -> tuple[int, int] | None:
    """(messages, consumers) once the queue has a consumer and is empty."""
    messages, consumers = queue_holds(run, queue)
    return (messages, consumers) if consumers and not messages else None


def database_outage(run: ScenarioRun) -> None:
    with run.step("Stop the orders database (orders-db)",
                  expect="only orders is affected; every other service has its own database") as step:
        run.breaks("start orders-db", lambda: run.runtime.start("orders-db"))
        run.runtime.stop("orders-db")
        step.saw("orders-db stopped")
    with run.step("Place an order as alice", expect="refused at once with a JSON error, no hanging request") as step:
        _refused_fast(run, step)
    with run.step("Read the catalog and payments", expect="both answer: their databases are untouched") as step:
        reads_answer(run, step, ["/catalog/products/", "/payments/"])
    with run.step("Start orders-db again", expect="orders reconnects on its next request") as step:
        run.mend("start orders-db")
        step.saw("orders-db started and healthy")
    with run.step("Place an order as alice",
                  expect="accepted, then CONFIRMED: its relay and consumer reconnected too") as step:
        order = place_accepted(run, step)
        status_after(run, order["id"], "CONFIRMED", RECOVERY_TIMEOUT)
        step.saw("CONFIRMED")


def _refused_fast(run: ScenarioRun, step: Step) -> None:
    """POST /orders/ must fail with a server error in the JSON error shape, quickly."""
    started = time.monotonic()
    try:
        order, _ = place_order(run)
    except ApiError as refused:
        seconds = time.monotonic() - started
        run.check(refused.status is not None and refused.status >= 500,
                  f"POST /orders/ failed without a server error status: {refused}")
        run.check("error" in refused.body, f"POST /orders/ answered {refused.status} without the JSON error shape.")
        run.check(seconds < QUICK_ANSWER_SECONDS, f"POST /orders/ took {seconds:.1f} s to fail; it should fail fast.")
        step.saw(f"{refused.status} {refused.body['error']} in {seconds:.2f} s")
        return
    raise ScenarioFailed(f"POST /orders/ accepted order {short(order['id'])} with the orders database stopped.")


PAYMENTS_OUTAGE = Scenario(
    "payments-outage", "Payments dies: orders are still accepted, and charged once it is back.", payments_outage)
BROKER_OUTAGE = Scenario(
    "broker-outage", "RabbitMQ stops: orders are still accepted; the outbox delivers them later.", broker_outage,
    needs=("rabbitmq",))
DATABASE_OUTAGE = Scenario(
    "database-outage", "The orders database stops: orders fails fast, the rest keeps answering.", database_outage,
    needs=("orders-db",))
