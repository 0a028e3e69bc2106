"""The outbox relay: claims unpublished rows in batches (SKIP LOCKED, so relays can run
side by side), publishes them with confirms, and marks them published only once confirmed.
It sleeps on LISTEN between batches and polls anyway, in case a NOTIFY was missed. When
idle it also prunes the messaging tables (see retention.py).

A batch goes out through a confirm window (every message in flight at once), in waves:
the events of one flow (one correlation id) go one per wave, so a flow's next event is
sent only once the broker has confirmed the one before. Its events therefore reach the
exchange in the order they were committed, even when a publish fails."""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db import DatabaseError, close_old_connections, connection, transaction

from chassis.correlation import correlation_scope
from chassis.liveness import Heartbeat
from chassis.messaging import counters
from chassis.messaging.config import Backoff, setting
from chassis.messaging.confirm_window import ConfirmWindow, Row
from chassis.messaging.listener import OutboxListener
from chassis.messaging.retention import PeriodicPruning

logger = logging.getLogger(__name__)

_CLAIM = """
    SELECT id::text, event_type, payload::text, payload->>'correlation_id'
    FROM messaging_outbox WHERE published_at IS NULL
    ORDER BY created_at LIMIT %s FOR UPDATE SKIP LOCKED
"""
_MARK_PUBLISHED = """
    UPDATE messaging_outbox SET published_at = now(), attempts = attempts + 1, last_error = ''
    WHERE id = ANY(%s::uuid[])
"""
_MARK_FAILED = """
    UPDATE messaging_outbox SET attempts = attempts + 1, last_error = %s WHERE id = ANY(%s::uuid[])
"""


@dataclass(frozen=True)
class BatchResult:
    claimed: int
    published: int
    error: str | None = None


class OutboxRelay:
    def __init__(self, *, batch_size: int | None = None, poll_interval: float | None = None):
        self.batch_size = batch_size or int(setting("OUTBOX_RELAY_BATCH_SIZE"))
        self.poll_interval = poll_interval or float(setting("OUTBOX_RELAY_POLL_INTERVAL"))
        self.publisher = ConfirmWindow()
        self._stop = threading.Event()
        self._heartbeat = Heartbeat()  # beats while batches go out or the relay waits idle

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """Relay until stop() is called; failures are retried with backoff, never fatal."""
        listener = OutboxListener()
        pruning = PeriodicPruning()
        backoff = Backoff()
        logger.info("outbox relay started", extra={"batch_size": self.batch_size})
        try:
            while not self._stop.is_set():
                try:
                    result = self.relay_batch()
                    if result.claimed < self.batch_size:
                        pruning.run_if_due()
                except DatabaseError as exc:
                    connection.close()
                    delay = backoff.wait(self._stop)
                    logger.warning("database unavailable; retrying", extra={"error": str(exc), "retry_in": delay})
                    continue
                if result.error:
                    delay = backoff.wait(self._stop)
                    logger.warning("publish failed; retrying", extra={"error": result.error, "retry_in": delay})
                    continue
                backoff.reset()
                self._heartbeat.beat()
                if result.claimed < self.batch_size:
                    listener.wait(self.poll_interval, stop=self._stop, on_tick=self._heartbeat.beat)
        finally:
            listener.close()
            self.publisher.close()
            connection.close()
            logger.info("outbox relay stopped")

    def relay_batch(self) -> BatchResult:
        """Publish one batch of the oldest unpublished rows; rows a failure left unsent are
        marked with the error and stay pending."""
        close_old_connections()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(_CLAIM, [self.batch_size])
                rows = cursor.fetchall()
            published, error = self._publish(rows)
            with connection.cursor() as cursor:
                if published:
                    cursor.execute(_MARK_PUBLISHED, [published])
                    counters.increment(counters.PUBLISHED, by=len(published))
                if error:
                    confirmed = set(published)
                    cursor.execute(_MARK_FAILED, [error, [row[0] for row in rows if row[0] not in confirmed]])
                    counters.increment(counters.PUBLISH_FAILURES)
        return BatchResult(claimed=len(rows), published=len(published), error=error)

    def _publish(self, rows: list[Row]) -> tuple[list[str], str | None]:
        """The ids the broker confirmed, and the first error; after a failed wave the later
        waves stay unsent, since they may hold later events of the failed ones' flows."""
        published: list[str] = []
        first_error = None
        for wave in _waves(rows):
            outcomes = self.publisher.publish(wave)
            for row in wave:
                error = outcomes[row[0]]
                if error is None:
                    published.append(row[0])
                    _log_published(row)
                else:
                    first_error = first_error or error
                    _log_failed(row, error)
            if first_error:
                break
        return published, first_error


def _waves(rows: list[Row]) -> list[list[Row]]:
    """The rows in outbox order, split so that no wave holds two events of one flow."""
    waves: list[list[Row]] = []
    seen: defaultdict[str, int] = defaultdict(int)  # flow -> the wave its next event goes in
    for row in rows:
        flow = row[3] or row[0]
        if seen[flow] == len(waves):
            waves.append([])
        waves[seen[flow]].append(row)
        seen[flow] += 1
    return waves


def _log_published(row: Row) -> None:
    with correlation_scope(row[3]):  # the line names the event's flow, for ecomctl logs
        logger.info("event published", extra={"event_id": row[0], "event_type": row[1]})


def _log_failed(row: Row, error: str) -> None:
    with correlation_scope(row[3]):
        logger.warning("event not published", extra={"event_id": row[0], "event_type": row[1], "error": error})
