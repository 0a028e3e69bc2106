"""The dual write the outbox exists to avoid (the dual-write teaching switch): the event is
published straight to the broker once the transaction has committed. Nothing stores it, so
when the broker does not take it at that moment (stopped, unreachable, a crash between
commit and publish) the event is gone, and whatever waits for it waits forever."""

from __future__ import annotations

import functools
import logging
import threading

from django.db import transaction

from chassis.messaging.envelope import Envelope
from chassis.messaging.publisher import ConfirmingPublisher, PublishFailed

logger = logging.getLogger(__name__)

# A BlockingConnection is not thread-safe: one publisher per thread.
_local = threading.local()


def publish_after_commit(envelope: Envelope) -> None:
    transaction.on_commit(functools.partial(_publish_now, envelope))


def _publish_now(envelope: Envelope) -> None:
    publisher = getattr(_local, "publisher", None)
    if publisher is None:
        publisher = _local.publisher = ConfirmingPublisher()
    try:
        publisher.publish(
            event_id=envelope.id,
            event_type=envelope.type,
            correlation_id=envelope.correlation_id,
            body=envelope.to_json(),
        )
    except PublishFailed as failure:
        logger.error(
            "event lost: published after commit without an outbox, and the broker did not take it",
            extra={"event_id": envelope.id, "event_type": envelope.type, "error": str(failure)},
        )
