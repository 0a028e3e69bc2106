"""What `ecomctl watch` shows, as data: every component's state and health, every queue's
depth, consumers and rate, the latest events from a tap of its own, and the orders by
status. A Watcher keeps what it needs between snapshots (the tap, the last depths) to tell
rates; views/watch.py draws a snapshot."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from ecomctl.broker.connection import BrokerUnreachable
from ecomctl.broker.queues import QueueDepth, queue_depths, queue_names
from ecomctl.runtime.base import ComponentStatus, Runtime
from ecomctl.scenarios.watch import EventWatch, summary
from ecomctl.shop.api_client import ApiClient, ApiError

LATEST_EVENTS = 8


@dataclass(frozen=True)
class QueueView:
    name: str
    messages: int | None
    consumers: int | None
    rate: float | None  # messages per second, positive while it fills


@dataclass
class Snapshot:
    taken_at: float
    components: list[ComponentStatus]
    queues: list[QueueView] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    orders: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    unsafe: tuple[str, ...] = ()  # teaching switches on


class Watcher:
    def __init__(self, runtime: Runtime, admin: ApiClient | None):
        self.runtime, self.admin = runtime, admin
        self._tap: EventWatch | None = None
        self._previous: tuple[float, dict[str, int]] | None = None

    def __enter__(self) -> Watcher:
        try:
            self._tap = EventWatch(self.runtime.broker_url(), self.runtime.stack.events["exchange"]).__enter__()
        except BrokerUnreachable:
            self._tap = None  # the events pane says so; the rest still shows
        return self

    def __exit__(self, *exc_info) -> None:
        if self._tap:
            self._tap.__exit__(*exc_info)

    def snapshot(self) -> Snapshot:
        now = time.monotonic()
        shot = Snapshot(now, self.runtime.status(), unsafe=self.runtime.stack.unsafe)
        try:
            depths = queue_depths(self.runtime.broker_url(), queue_names(self.runtime.stack))
            shot.queues = self._with_rates(now, depths)
        except BrokerUnreachable as problem:
            shot.problems.append(str(problem))
        if self._tap is None:
            shot.problems.append("No event tap: the broker was not answering when watch started.")
        else:
            shot.events = [summary(event) for event in self._tap.latest(LATEST_EVENTS)]
        shot.orders = self._orders(shot)
        return shot

    def _with_rates(self, now: float, depths: list[QueueDepth]) -> list[QueueView]:
        current = {depth.name: depth.messages for depth in depths if depth.messages is not None}
        rates: dict[str, float] = {}
        if self._previous:
            then, before = self._previous
            elapsed = max(now - then, 1e-3)
            rates = {name: (count - before[name]) / elapsed for name, count in current.items() if name in before}
        self._previous = (now, current)
        return [QueueView(depth.name, depth.messages, depth.consumers, rates.get(depth.name)) for depth in depths]

    def _orders(self, shot: Snapshot) -> dict[str, int]:
        if self.admin is None:
            return {}
        try:
            listed = self.admin.every("/orders/")
        except (ApiError, OSError) as problem:
            shot.problems.append(f"Orders not readable: {problem}")
            return {}
        return dict(Counter(order["status"] for order in listed))
