"""The live event tap, listening in the background while a scenario breaks things, so it
can show (and check) which events an order's flow produced."""

from __future__ import annotations

import threading

from ecomctl.broker.connection import BrokerUnreachable
from ecomctl.broker.tap import TappedEvent, tap

READY_TIMEOUT = 10.0
# How often the tap looks up from an idle queue to see whether it should stop.
IDLE_SECONDS = 0.25
RECONNECT_SECONDS = 0.5


class EventWatch:
    """Every event on the exchange from the moment the watch is entered until it is left."""

    def __init__(self, broker_url: str, exchange: str):
        self._broker_url, self._exchange = broker_url, exchange
        self._seen: list[TappedEvent] = []
        self._lock = threading.Lock()
        self._bound = threading.Event()
        self._stopping = threading.Event()
        self._problem: Exception | None = None
        self.had_gaps = False  # the broker went away for a while: events of that time were not seen
        self._thread = threading.Thread(target=self._listen, name="scenario-event-watch", daemon=True)

    def __enter__(self) -> EventWatch:
        self._thread.start()
        # The tap yields once its queue is bound; an order placed after that is seen.
        if not self._bound.wait(READY_TIMEOUT):
            self._stopping.set()
            raise BrokerUnreachable(f"The event tap was not listening within {READY_TIMEOUT:g} s.")
        if self._problem:
            raise self._problem
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopping.set()
        self._thread.join(timeout=IDLE_SECONDS * 8)

    def _listen(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    for event in tap(self._broker_url, self._exchange, inactivity_timeout=IDLE_SECONDS):
                        self._bound.set()
                        if event is not None:
                            with self._lock:
                                self._seen.append(event)
                        if self._stopping.is_set():
                            return
                except BrokerUnreachable as problem:
                    # Expected when a scenario stops the broker: what was seen so far stays,
                    # and the tap listens again once the broker is back.
                    if not self._bound.is_set():
                        self._problem = problem
                        return
                    self.had_gaps = True
                    self._stopping.wait(RECONNECT_SECONDS)
        finally:
            self._bound.set()

    def for_order(self, order_id: str) -> list[TappedEvent]:
        """The events about one order, in the order they arrived."""
        with self._lock:
            seen = list(self._seen)
        return [event for event in seen if _order_id(event) == order_id]

    def latest(self, count: int) -> list[TappedEvent]:
        with self._lock:
            return list(self._seen[-count:])

    def types_for_order(self, order_id: str) -> list[str]:
        return [event.routing_key for event in self.for_order(order_id)]


def _order_id(event: TappedEvent) -> str | None:
    data = event.envelope.get("data")
    order_id = data.get("order_id") if isinstance(data, dict) else None
    return str(order_id) if order_id is not None else None  # a message that is no event has none


def summary(event: TappedEvent) -> dict:
    """What --json shows of an event."""
    envelope = event.envelope
    return {
        "type": event.routing_key,
        "producer": envelope.get("producer"),
        "order_id": _order_id(event),
        "flow": envelope.get("correlation_id"),
        "occurred_at": envelope.get("occurred_at"),
    }
