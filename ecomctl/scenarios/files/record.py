"""What a file scenario's run records, for its probes and for the verdict: the orders it
placed with each answer and its time, the values steps saved, and every event its own tap
saw from before the first step to the end."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PlacedOrder:
    order_id: str | None  # None when the answer was not 201
    status: int  # the HTTP answer
    seconds: float


@dataclass
class RunRecord:
    placed: list[PlacedOrder] = field(default_factory=list)
    saved: dict[str, dict] = field(default_factory=dict)  # save: name -> the order as answered
    dead_letters_at_start: dict[str, int] = field(default_factory=dict)
    expected_dead_letters: set[str] = field(default_factory=set)  # queues a probe expects to fill

    @property
    def accepted_ids(self) -> list[str]:
        return [order.order_id for order in self.placed if order.order_id]
