"""Deliveries, each handled at most once per consumer: the message is validated at the
boundary, then its inbox row and its handler's writes commit in one transaction.

Deliveries already waiting are handled together in a single transaction: a commit (a
disk flush) per batch instead of per message is what lets one consumer keep up with a busy
relay. Handlers rarely fail, so a batch first runs without savepoints (two round trips per
message fewer); if a handler does fail, the whole batch is rolled back and run again with
one savepoint per message, so that the failing message rolls back to its own savepoint
only. If the batch as a whole cannot commit, each message is handled again on its own. A
transaction stops taking messages after EVENTS_BATCH_TIME_LIMIT, so batching adds little
latency even when handlers are slow."""

from __future__ import annotations

import enum
import json
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections, transaction

from chassis import switches
from chassis.correlation import correlation_scope
from chassis.messaging import counters
from chassis.messaging.config import Backoff, setting
from chassis.messaging.contracts import InvalidEvent, validate_envelope
from chassis.messaging.envelope import Envelope, causation_scope
from chassis.messaging.registry import ConsumerSpec

logger = logging.getLogger(__name__)

# One round trip: record the message id (unless already there) and count it as consumed
# or as a duplicate. Both roll back with the handler's writes if the handler fails.
_RECORD_ONCE = f"""
    WITH recorded AS (
        INSERT INTO messaging_inbox (consumer, message_id, event_type, correlation_id, processed_at)
        VALUES (%(consumer)s, %(message_id)s, %(event_type)s, %(correlation_id)s, now())
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


@dataclass(frozen=True)
class Message:
    body: bytes
    routing_key: str
    delivery_count: int = 0  # deliveries before this one (the quorum queue's x-delivery-count)


class _BatchAborted(Exception):
    """The batch's transaction cannot commit; its messages are handled one by one."""


class _HandlerFailedUnisolated(Exception):
    """A handler failed in a batch run without savepoints: the batch is rolled back and
    run again with them."""


class InboxProcessor:
    def __init__(self, spec: ConsumerSpec, *, stop: threading.Event):
        self.spec = spec
        self.stop = stop

    def process(self, body: bytes, *, routing_key: str, delivery_count: int = 0) -> Outcome:
        return self.process_batch([Message(body, routing_key, delivery_count)])[0]

    def process_batch(self, messages: Sequence[Message]) -> list[Outcome]:
        """The outcome of each message, in order."""
        outcomes: dict[int, Outcome] = {}  # by the message's index
        waiting: list[tuple[int, Envelope]] = []
        for index, message in enumerate(messages):
            try:
                waiting.append((index, self._decode(message.body)))
            except InvalidEvent as exc:
                outcomes[index] = self._rejected(message, exc)
        while waiting:
            taken, settled = self._handle_together(waiting, messages) if len(waiting) > 1 else (1, {})
            for index, envelope in waiting[:taken]:
                outcomes[index] = settled.get(index) or self._handle_alone(envelope, messages[index])
            waiting = waiting[taken:]
        return [outcomes[index] for index in range(len(messages))]

    def _rejected(self, message: Message, exc: InvalidEvent) -> Outcome:
        logger.error(
            "event dead-lettered: invalid message", extra={"routing_key": message.routing_key, "error": str(exc)}
        )
        counters.increment_best_effort(counters.DEAD_LETTERED, consumer=self.spec.name, event_type=message.routing_key)
        return Outcome.REJECT

    def _handle_together(
        self, waiting: Sequence[tuple[int, Envelope]], messages: Sequence[Message]
    ) -> tuple[int, dict[int, Outcome]]:
        """Handle the first of the waiting envelopes in one transaction, taking more until
        EVENTS_BATCH_TIME_LIMIT has passed, so slow handlers are not held up behind each
        other. Returns how many it took and the outcomes it settled: none if the
        transaction could not commit."""
        try:
            return self._handle_in_one_transaction(waiting, messages, savepoints=False)
        except _HandlerFailedUnisolated:
            return self._handle_in_one_transaction(waiting, messages, savepoints=True)

    def _handle_in_one_transaction(
        self, waiting: Sequence[tuple[int, Envelope]], messages: Sequence[Message], *, savepoints: bool
    ) -> tuple[int, dict[int, Outcome]]:
        deadline = time.monotonic() + float(setting("EVENTS_BATCH_TIME_LIMIT"))
        taken = 0
        handled: list[tuple[int, bool]] = []
        failed: list[tuple[int, Exception]] = []
        try:
            with transaction.atomic():
                for index, envelope in waiting:
                    if taken and time.monotonic() >= deadline:
                        break
                    taken += 1
                    with correlation_scope(envelope.correlation_id), causation_scope(envelope.id):
                        try:
                            # A savepoint: a failure undoes this message only.
                            with transaction.atomic(savepoint=savepoints):
                                handled.append((index, self._record_and_handle(envelope)))
                        except (OperationalError, InterfaceError):
                            raise  # the connection or the transaction is gone, not just this message
                        except Exception as exc:
                            if not savepoints:
                                raise _HandlerFailedUnisolated from exc  # rolls the batch back
                            failed.append((index, exc))
                # A savepoint that could not be rolled back leaves the transaction doomed,
                # and leaving the block would then roll back silently: say so instead.
                if transaction.get_rollback():
                    raise _BatchAborted("a savepoint could not be rolled back")
        except (OperationalError, InterfaceError, _BatchAborted) as exc:
            logger.warning(
                "batch rolled back; handling its events one by one",
                extra={"consumer": self.spec.name, "events": taken, "error": str(exc)},
            )
            return taken, {}
        outcomes = {}
        envelopes = dict(waiting)
        for index, first_delivery in handled:
            envelope = envelopes[index]
            with correlation_scope(envelope.correlation_id):  # each line names its own flow
                self._log_handled(envelope, first_delivery)
            outcomes[index] = Outcome.ACK
        for index, handler_error in failed:
            envelope = envelopes[index]
            with correlation_scope(envelope.correlation_id), causation_scope(envelope.id):
                outcomes[index] = self._failed(
                    self._log_fields(envelope), handler_error, messages[index].delivery_count
                )
        return taken, outcomes

    def _decode(self, body: bytes) -> Envelope:
        try:
            payload = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise InvalidEvent("The message body is not JSON.") from None
        envelope = validate_envelope(payload)
        if envelope.type not in self.spec.handlers:
            raise InvalidEvent(f"Consumer {self.spec.name!r} has no handler for {envelope.type!r}.")
        return envelope

    def _handle_alone(self, envelope: Envelope, message: Message) -> Outcome:
        with correlation_scope(envelope.correlation_id), causation_scope(envelope.id):
            return self._handle(envelope, message.delivery_count)

    def _handle(self, envelope: Envelope, delivery_count: int) -> Outcome:
        log = self._log_fields(envelope)
        backoff = Backoff()
        fresh_connection_tried = False
        while True:
            # The connection is kept across messages (no health check per message); a
            # broken one shows up as an error below and is replaced.
            try:
                with transaction.atomic():
                    first_delivery = self._record_and_handle(envelope)
                self._log_handled(envelope, first_delivery)
                return Outcome.ACK
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

    def _record_and_handle(self, envelope: Envelope) -> bool:
        """Inside the caller's transaction: record the message, and handle it unless it
        was recorded before. Returns whether this was its first delivery."""
        if switches.is_on("no-inbox"):
            self.spec.handlers[envelope.type](envelope)  # every delivery treated as the first
            return True
        with connection.cursor() as cursor:
            cursor.execute(
                _RECORD_ONCE,
                {
                    "consumer": self.spec.name,
                    "message_id": envelope.id,
                    "event_type": envelope.type,
                    "correlation_id": envelope.correlation_id or "",
                    "shard": counters.shard(),
                },
            )
            first_delivery = cursor.fetchone()[0]
        if first_delivery:
            self.spec.handlers[envelope.type](envelope)
        return first_delivery

    def _log_fields(self, envelope: Envelope) -> dict:
        return {"event_id": envelope.id, "event_type": envelope.type, "consumer": self.spec.name}

    def _log_handled(self, envelope: Envelope, first_delivery: bool) -> None:
        logger.info("event handled" if first_delivery else "duplicate event skipped", extra=self._log_fields(envelope))

    def _failed(self, log: dict, exc: Exception, delivery_count: int) -> Outcome:
        logger.error(
            "event handler failed; requeueing",
            exc_info=exc,
            extra={**log, "delivery_count": delivery_count},
        )
        counters.increment_best_effort(counters.HANDLER_FAILURES, consumer=self.spec.name, event_type=log["event_type"])
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
