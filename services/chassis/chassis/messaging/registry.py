"""The consumers a service declares in settings.EVENT_CONSUMERS, loaded and checked:

    EVENT_CONSUMERS = {
        "payment-results": {"queue": "orders.payment-results", "handlers": "orders.handlers.HANDLERS"},
    }

where HANDLERS maps event types to callables taking an Envelope; its keys are the queue's
bindings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.module_loading import import_string

from chassis.messaging.config import setting
from chassis.messaging.contracts import known_event_types
from chassis.messaging.envelope import Envelope

Handler = Callable[[Envelope], None]


class ConsumerConfigError(ValueError):
    """EVENT_CONSUMERS names something that cannot run; the message says what to fix."""


@dataclass(frozen=True)
class ConsumerSpec:
    name: str
    queue: str
    handlers: Mapping[str, Handler]


def load_consumer(name: str) -> ConsumerSpec:
    consumers = setting("EVENT_CONSUMERS")
    if name not in consumers:
        known = ", ".join(sorted(consumers)) or "none"
        raise ConsumerConfigError(f"No consumer named {name!r} in EVENT_CONSUMERS (configured: {known}).")
    config = consumers[name]
    queue, handlers_path = config.get("queue"), config.get("handlers")
    if not queue or not handlers_path:
        raise ConsumerConfigError(f"EVENT_CONSUMERS[{name!r}] needs a 'queue' and a 'handlers' dotted path.")
    try:
        handlers = import_string(handlers_path)
    except ImportError as exc:
        raise ConsumerConfigError(f"Cannot import the handlers of consumer {name!r}: {exc}.") from None
    if not isinstance(handlers, Mapping) or not handlers:
        raise ConsumerConfigError(f"{handlers_path} must be a non-empty dict of event type to handler.")
    _check_handlers(handlers_path, handlers)
    return ConsumerSpec(name=name, queue=queue, handlers=dict(handlers))


def _check_handlers(handlers_path: str, handlers: Mapping) -> None:
    known = known_event_types()
    for event_type, handler in handlers.items():
        if event_type not in known:
            raise ConsumerConfigError(
                f"{handlers_path} handles {event_type!r}, which has no contract under contracts/events/."
            )
        if not callable(handler):
            raise ConsumerConfigError(f"{handlers_path}[{event_type!r}] is not callable.")
