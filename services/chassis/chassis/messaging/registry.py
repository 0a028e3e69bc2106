"""The consumers a service declares in settings.EVENT_CONSUMERS, loaded and checked:

    EVENT_CONSUMERS = {"payment-results": "orders.handlers.HANDLERS"}

where HANDLERS maps event types to callables taking an Envelope; its keys are the queue's
bindings. The queue is not configured: it is named after the service and the consumer
(chassis.messaging.topology.consumer_queue), `orders.payment-results` here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from chassis.messaging.config import setting
from chassis.messaging.contracts import known_event_types
from chassis.messaging.envelope import Envelope
from chassis.messaging.topology import consumer_queue

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
    handlers_path = consumers[name]
    if not isinstance(handlers_path, str) or not handlers_path:
        raise ConsumerConfigError(f"EVENT_CONSUMERS[{name!r}] must be the dotted path of its handlers dict.")
    try:
        handlers = import_string(handlers_path)
    except ImportError as exc:
        raise ConsumerConfigError(f"Cannot import the handlers of consumer {name!r}: {exc}.") from None
    if not isinstance(handlers, Mapping) or not handlers:
        raise ConsumerConfigError(f"{handlers_path} must be a non-empty dict of event type to handler.")
    _check_handlers(handlers_path, handlers)
    return ConsumerSpec(name=name, queue=consumer_queue(_queue_service_name(), name), handlers=dict(handlers))


def _queue_service_name() -> str:
    # Only the chassis's own tests set CONSUMER_QUEUE_SERVICE_NAME, to keep the queues of
    # parallel runs apart; a service's queues carry its name, the only ones its broker
    # account may configure.
    return getattr(settings, "CONSUMER_QUEUE_SERVICE_NAME", settings.SERVICE_NAME)


def _check_handlers(handlers_path: str, handlers: Mapping) -> None:
    known = known_event_types()
    for event_type, handler in handlers.items():
        if event_type not in known:
            raise ConsumerConfigError(
                f"{handlers_path} handles {event_type!r}, which has no contract under contracts/events/."
            )
        if not callable(handler):
            raise ConsumerConfigError(f"{handlers_path}[{event_type!r}] is not callable.")
