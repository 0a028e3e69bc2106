"""What a file scenario's run records, for its probes and for the verdict: the orders it
placed with each answer and its time, the values steps saved, and every event its own tap
saw from before the first step to the end."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass
class PlacedOrder:
    order_id: str | None  # None when the answer was not 201
    status: int  # the HTTP answer; 0 when none came within the client's timeout
    seconds: float
    idempotency_key: str


@dataclass
class RunRecord:
    # Prefixes the file's idempotency keys: the same key in two steps is one key, while
    # each run has its own, so a run never replays an order of an earlier one.
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    placed: list[PlacedOrder] = field(default_factory=list)
    saved: dict[str, dict] = field(default_factory=dict)  # save: name -> the order as answered
    dead_letters_at_start: dict[str, int] = field(default_factory=dict)
    expected_dead_letters: set[str] = field(default_factory=set)  # queues a probe expects to fill

    @property
    def accepted_ids(self) -> list[str]:
        # A replayed answer (the same idempotency key) names the same order again: once here.
        return list(dict.fromkeys(order.order_id for order in self.placed if order.order_id))
