"""Process-safe counters kept in the service's database, so the web process can report what
its relay and consumer processes did."""

from __future__ import annotations

import logging
import os

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)

CONSUMED = "consumed"
DUPLICATES = "duplicates"
DEAD_LETTERED = "dead_lettered"
HANDLER_FAILURES = "handler_failures"
PUBLISHED = "published"
PUBLISH_FAILURES = "publish_failures"

SHARDS = 16
_UPSERT = """
    INSERT INTO messaging_counter (name, consumer, event_type, shard, value) VALUES (%s, %s, %s, %s, %s)
    ON CONFLICT (name, consumer, event_type, shard) DO UPDATE SET value = messaging_counter.value + EXCLUDED.value
"""


def shard() -> int:
    """This process's row of each counter."""
    return os.getpid() % SHARDS


def increment(name: str, *, consumer: str = "", event_type: str = "", by: int = 1) -> None:
    """Add to a counter in the current transaction (or autocommit)."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [name, consumer, event_type, shard(), by])


def increment_best_effort(name: str, **labels) -> None:
    """For counts taken outside a transaction that matters: a database outage loses the
    count, never the message."""
    try:
        increment(name, **labels)
    except DatabaseError as exc:
        logger.warning("counter not recorded", extra={"counter": name, "error": str(exc)})


def read_all() -> list[tuple[str, str, str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, consumer, event_type, SUM(value)::bigint FROM messaging_counter"
            " GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
        )
        return list(cursor.fetchall())
