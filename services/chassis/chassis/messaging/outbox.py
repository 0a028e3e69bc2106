"""The transactional outbox: an event is stored in the same transaction as the change it
describes, and the relay is woken with NOTIFY when that transaction commits (sent by a
trigger on the outbox table, migration 0004, so storing an event is one statement)."""

from __future__ import annotations

import logging

from django.db import connection

from chassis import switches
from chassis.correlation import correlation_scope
from chassis.messaging.contracts import validate_envelope
from chassis.messaging.dual_write import publish_after_commit
from chassis.messaging.envelope import Envelope
from chassis.messaging.models import OutboxMessage

logger = logging.getLogger(__name__)

NOTIFY_CHANNEL = "ecomlab_outbox"  # named again in migration 0004, which notifies it


class OutsideTransaction(RuntimeError):
    """publish() was called in autocommit mode, where the event could outlive a rolled-back change."""


def publish(event_type: str, data: dict, *, version: int = 1) -> Envelope:
    """Store an event in the outbox; it is sent to the broker after the transaction commits.

    Raises OutsideTransaction outside transaction.atomic(), and InvalidEvent when the event
    breaks its contract (a producer bug, so it fails here rather than at every consumer).
    """
    if not connection.in_atomic_block:
        raise OutsideTransaction(
            "publish() must be called inside transaction.atomic(), so the event commits "
            "or rolls back with the change it describes."
        )
    envelope = validate_envelope(Envelope.new(event_type, data, version=version).to_dict())
    if switches.is_on("dual-write"):
        publish_after_commit(envelope)
        return envelope
    OutboxMessage.objects.create(id=envelope.id, event_type=envelope.type, payload=envelope.to_dict())
    with correlation_scope(envelope.correlation_id):
        logger.info(
            "event stored in outbox",
            extra={"event_id": envelope.id, "event_type": envelope.type, "causation_id": envelope.causation_id},
        )
    return envelope
