"""Keeping the messaging tables small: published outbox rows and inbox records are
deleted once past their retention, in chunks so that no statement holds locks for long.

The inbox is what makes a redelivered message harmless, so its retention must outlast any
redelivery: a message is dead-lettered after a few deliveries within minutes, so days are
plenty. Past it, the handlers' own guards (one payment per order, transitions only from
PENDING, one notification per order and kind) still hold.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from chassis.messaging.config import setting

logger = logging.getLogger(__name__)

_CHUNK_SIZE = 5000

# BRIN indexes on created_at and processed_at find the old rows without costing the
# hot path the upkeep of another B-tree.
_DELETE_PUBLISHED_OUTBOX = """
    DELETE FROM messaging_outbox WHERE id IN (
        SELECT id FROM messaging_outbox
        WHERE created_at < %s AND published_at IS NOT NULL LIMIT %s
    )
"""
_DELETE_INBOX = """
    DELETE FROM messaging_inbox WHERE id IN (
        SELECT id FROM messaging_inbox WHERE processed_at < %s LIMIT %s
    )
"""


@dataclass(frozen=True)
class Pruned:
    outbox: int
    inbox: int


def prune_messaging_tables(
    *, outbox_retention: timedelta, inbox_retention: timedelta, chunk_size: int = _CHUNK_SIZE
) -> Pruned:
    """Delete published outbox rows and inbox records older than their retention. Unpublished
    outbox rows are never deleted, however old."""
    now = timezone.now()
    return Pruned(
        outbox=_delete_in_chunks(_DELETE_PUBLISHED_OUTBOX, now - outbox_retention, chunk_size),
        inbox=_delete_in_chunks(_DELETE_INBOX, now - inbox_retention, chunk_size),
    )


def _delete_in_chunks(statement: str, cutoff, chunk_size: int) -> int:
    deleted = 0
    while True:
        with connection.cursor() as cursor:  # autocommit: each chunk is its own transaction
            cursor.execute(statement, [cutoff, chunk_size])
            deleted += cursor.rowcount
            if cursor.rowcount < chunk_size:
                return deleted


class PeriodicPruning:
    """Prunes with the configured retention at most once per MESSAGING_PRUNE_INTERVAL."""

    def __init__(self) -> None:
        self.interval = float(setting("MESSAGING_PRUNE_INTERVAL"))
        self._next_run = time.monotonic()

    def run_if_due(self) -> Pruned | None:
        if time.monotonic() < self._next_run:
            return None
        self._next_run = time.monotonic() + self.interval
        pruned = prune_messaging_tables(
            outbox_retention=timedelta(hours=float(setting("OUTBOX_RETENTION_HOURS"))),
            inbox_retention=timedelta(hours=float(setting("INBOX_RETENTION_HOURS"))),
        )
        if pruned.outbox or pruned.inbox:
            logger.info("messaging tables pruned", extra={"outbox_rows": pruned.outbox, "inbox_rows": pruned.inbox})
        return pruned
