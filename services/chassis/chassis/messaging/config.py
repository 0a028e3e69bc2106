"""Messaging settings with their defaults, broker connection parameters and retry backoff."""

from __future__ import annotations

import random
import threading

import pika
from django.conf import settings

DEFAULTS = {
    "RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:5672/%2F",
    "EVENTS_EXCHANGE": "ecomlab.events",
    "EVENTS_UNROUTED_EXCHANGE": "ecomlab.unrouted",
    "EVENTS_DEAD_LETTER_EXCHANGE": "ecomlab.dlx",
    # RabbitMQ 3.10 quorum queues have no default limit: without one a poison message
    # would be redelivered forever.
    "EVENTS_DELIVERY_LIMIT": 5,
    "EVENTS_PREFETCH": 100,
    # Deliveries already waiting that a consumer handles in one transaction, and how long
    # that transaction keeps taking more of them (seconds).
    "EVENTS_BATCH_SIZE": 50,
    "EVENTS_BATCH_TIME_LIMIT": 0.2,
    "EVENTS_RETRY_BASE_DELAY": 0.5,
    "EVENTS_RETRY_MAX_DELAY": 30.0,
    "OUTBOX_RELAY_BATCH_SIZE": 500,
    "OUTBOX_RELAY_POLL_INTERVAL": 5.0,
    # Published outbox rows and inbox records are kept this long (hours), then pruned by
    # the relay at most once per MESSAGING_PRUNE_INTERVAL (seconds).
    "OUTBOX_RETENTION_HOURS": 168.0,
    "INBOX_RETENTION_HOURS": 168.0,
    "MESSAGING_PRUNE_INTERVAL": 3600.0,
    "EVENT_CONSUMERS": {},
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def connection_parameters() -> pika.URLParameters:
    parameters = pika.URLParameters(setting("RABBITMQ_URL"))
    # A broker under a memory or disk alarm blocks publishers; fail and retry instead of
    # hanging forever with outbox rows locked.
    if parameters.blocked_connection_timeout is None:
        parameters.blocked_connection_timeout = 30
    parameters.client_properties = {"connection_name": f"{settings.SERVICE_NAME}"}
    return parameters


class Backoff:
    """Capped exponential backoff with jitter; reset() after a success."""

    def __init__(self, *, base: float | None = None, cap: float | None = None):
        self.base = base if base is not None else float(setting("EVENTS_RETRY_BASE_DELAY"))
        self.cap = cap if cap is not None else float(setting("EVENTS_RETRY_MAX_DELAY"))
        self.failures = 0

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * 2 ** min(self.failures, 32))
        self.failures += 1
        # Jitter spreads the reconnects of many processes after a shared outage.
        return random.uniform(ceiling / 2, ceiling)

    def wait(self, stop: threading.Event) -> float:
        """Sleep the next delay, waking early when stop is set; returns the delay."""
        delay = self.next_delay()
        stop.wait(delay)
        return delay

    def reset(self) -> None:
        self.failures = 0
