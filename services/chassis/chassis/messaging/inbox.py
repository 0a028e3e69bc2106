"""One delivery, handled at most once per consumer: the message is validated at the
boundary, then the inbox row and the handler's writes commit in one transaction."""

from __future__ import annotations

import enum
import json
import logging
import threading

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections, transaction

from chassis.correlation import correlation_scope
from chassis.messaging import counters
from chassis.messaging.config import Backoff
from chassis.messaging.contracts import InvalidEvent, validate_envelope
from chassis.messaging.envelope import Envelope, causation_scope
from chassis.messaging.registry import ConsumerSpec

logger = logging.getLogger(__name__)

# One round trip: record the message id (unless already there) and count it as consumed
# or as a duplicate. Both roll back with the handler's writes if the handler fails.
_RECORD_ONCE = f"""
    WITH recorded AS (
        INSERT INTO messaging_inbox (consumer, message_id, event_type, processed_at)
        VALUES (%(consumer)s, %(message_id)s, %(event_type)s, now())
        ON CONFLICT (consumer, message_id) DO NOTHING RETURNING id
    )
    INSERT INTO messaging_counter (name, consumer, event_type, shard, value)
    SELECT CASE WHEN EXISTS (SELECT 1 FROM recorded) THEN '{counters.CONSUMED}' ELSE '{counters.DUPLICATES}' END,
           %(consumer)s, %(event_type)s, %(shard)s, 1
    ON CONFLICT (name, consumer, event_type, shard) DO UPDATE SET value = messaging_counter.value + 1
    RETURNING name = '{counters.CONSUMED}'
"""


class Outcome(enum.Enum):
    ACK = "ack"
    REJECT = "reject"  # dead-lettered at once: retrying cannot fix it
    REQUEUE = "requeue"  # tried again; the queue's delivery limit bounds how often


class InboxProcessor:
    def __init__(self, spec: ConsumerSpec, *, stop: threading.Event):
        self.spec = spec
        self.stop = stop

    def process(self, body: bytes, *, routing_key: str, delivery_count: int = 0) -> Outcome:
        try:
            envelope = self._decode(body)
        except InvalidEvent as exc:
            logger.error("event dead-lettered: invalid message", extra={"routing_key": routing_key, "error": str(exc)})
            counters.increment_best_effort(counters.DEAD_LETTERED, consumer=self.spec.name, event_type=routing_key)
            return Outcome.REJECT
        with correlation_scope(envelope.correlation_id), causation_scope(envelope.id):
            return self._handle(envelope, delivery_count)

    def _decode(self, body: bytes) -> Envelope:
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise InvalidEvent("The message body is not JSON.") from None
        envelope = validate_envelope(payload)
        if envelope.type not in self.spec.handlers:
            raise InvalidEvent(f"Consumer {self.spec.name!r} has no handler for {envelope.type!r}.")
        return envelope

    def _handle(self, envelope: Envelope, delivery_count: int) -> Outcome:
        log = {"event_id": envelope.id, "event_type": envelope.type, "consumer": self.spec.name}
        backoff = Backoff()
        fresh_connection_tried = False
        while True:
            # The connection is kept across messages (no health check per message); a
            # broken one shows up as an error below and is replaced.
            try:
                return self._handle_once(envelope, log)
            except (OperationalError, InterfaceError) as exc:
                # Every connection the handler may use (a service can have several aliases).
                connections.close_all()
                if _database_answers():
                    if not fresh_connection_tried:
                        fresh_connection_tried = True  # e.g. the server restarted since the last message
                        continue
                    return self._failed(log, exc, delivery_count)
                if self.stop.is_set():
                    return self._failed(log, exc, delivery_count)
                # A database outage is not the message's fault: hold it (redelivering would
                # use up its delivery limit) until the database answers again.
                delay = backoff.wait(self.stop)
                logger.warning(
                    "database unavailable; holding event", extra={**log, "error": str(exc), "retry_in": delay}
                )
            except Exception as exc:  # a handler bug or a rule it enforces: retry, then dead-letter
                return self._failed(log, exc, delivery_count)

    def _handle_once(self, envelope: Envelope, log: dict) -> Outcome:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_RECORD_ONCE, {
                    "consumer": self.spec.name, "message_id": envelope.id, "event_type": envelope.type,
                    "shard": counters.shard(),
                })
                first_delivery = cursor.fetchone()[0]
            if first_delivery:
                self.spec.handlers[envelope.type](envelope)
        logger.info("event handled" if first_delivery else "duplicate event skipped", extra=log)
        return Outcome.ACK

    def _failed(self, log: dict, exc: Exception, delivery_count: int) -> Outcome:
        logger.error(
            "event handler failed; requeueing",
            exc_info=exc,
            extra={**log, "delivery_count": delivery_count},
        )
        counters.increment_best_effort(
            counters.HANDLER_FAILURES, consumer=self.spec.name, event_type=log["event_type"]
        )
        # A short, growing pause keeps a failing message from spinning the queue.
        self.stop.wait(min(1.0, 0.05 * 2**delivery_count))
        return Outcome.REQUEUE


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        connection.close()
        return False
