"""The event envelope every message carries, and the causation context that links an
event to the event whose handling published it."""

from __future__ import annotations

import contextvars
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from chassis.correlation import get_correlation_id, new_correlation_id

_causation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("causation_id", default=None)


def get_causation_id() -> str | None:
    return _causation_id.get()


@contextmanager
def causation_scope(event_id: str | None) -> Iterator[None]:
    """Events published inside this block name event_id as their cause."""
    token = _causation_id.set(event_id)
    try:
        yield
    finally:
        _causation_id.reset(token)


@dataclass(frozen=True)
class Envelope:
    id: str
    type: str
    version: int
    occurred_at: str
    producer: str
    correlation_id: str
    causation_id: str | None
    data: dict

    @classmethod
    def new(cls, event_type: str, data: dict, *, version: int = 1) -> "Envelope":
        return cls(
            id=str(uuid.uuid4()),
            type=event_type,
            version=version,
            occurred_at=datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
            producer=settings.SERVICE_NAME,
            correlation_id=get_correlation_id() or new_correlation_id(),
            causation_id=get_causation_id(),
            # UUIDs, Decimals and datetimes become the strings the contracts expect.
            data=json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
        )

    @classmethod
    def from_dict(cls, payload: dict) -> "Envelope":
        """Build from a payload already validated against its contract."""
        return cls(**{name: payload[name] for name in cls.__dataclass_fields__})

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), separators=(",", ":")).encode()
