"""Messaging: events leave through a transactional outbox and arrive through an
idempotent consumer.

    service transaction ──> outbox table ──NOTIFY──> relay_outbox ──confirm──> RabbitMQ
    RabbitMQ ──> consume <name> ──> inbox row + handler, one transaction ──> ack

    messaging
    ├── envelope    Envelope and the causation context
    ├── contracts   JSON Schema per event type and version; InvalidEvent
    ├── outbox      publish(), called inside transaction.atomic()
    ├── dual_write  publish after commit instead (the dual-write teaching switch)
    ├── relay       outbox rows to the exchange, with publisher confirms
    ├── consumer    the consumer runner: prefetch, acks, reconnects, shutdown
    ├── inbox       one delivery handled at most once per consumer
    ├── topology    exchanges and queues, declared by code; the queue-name rule
    ├── counters    counters in the service's database
    └── metrics     Prometheus text at internal/metrics
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chassis.messaging.envelope import Envelope


def publish(event_type: str, data: dict, *, version: int = 1) -> "Envelope":
    """Store an event in this service's outbox; see chassis.messaging.outbox.publish."""
    # Imported here because this package is also the Django app, loaded before models are ready.
    from chassis.messaging.outbox import publish as publish_to_outbox

    return publish_to_outbox(event_type, data, version=version)
