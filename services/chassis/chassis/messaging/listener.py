"""Waiting for outbox NOTIFYs on a psycopg connection of its own (Django's connection is
busy in transactions), with a timeout so the relay polls even if a notification is lost."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import psycopg
from django.db import connection

from chassis.messaging.outbox import NOTIFY_CHANNEL

logger = logging.getLogger(__name__)

_NOT_FOR_PSYCOPG = ("cursor_factory", "context", "prepare_threshold")
# Short waits keep heartbeats served and shutdown prompt.
_TICK_SECONDS = 1.0


class OutboxListener:
    def __init__(self) -> None:
        self._connection: psycopg.Connection | None = None

    def wait(self, timeout: float, *, stop: threading.Event, on_tick: Callable[[], None]) -> bool:
        """Block until a NOTIFY arrives (True), timeout passes or stop is set (False)."""
        deadline = time.monotonic() + timeout
        while not stop.is_set() and (remaining := deadline - time.monotonic()) > 0:
            on_tick()
            listening = self._listening()
            if listening is None:
                stop.wait(min(remaining, _TICK_SECONDS))
                continue
            try:
                for _ in listening.notifies(timeout=min(remaining, _TICK_SECONDS), stop_after=1):
                    return True
            except psycopg.Error as exc:
                logger.warning("outbox listener lost its connection", extra={"error": str(exc)})
                self.close()
        return False

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _listening(self) -> psycopg.Connection | None:
        if self._connection is not None and not self._connection.closed:
            return self._connection
        params = {k: v for k, v in connection.get_connection_params().items() if k not in _NOT_FOR_PSYCOPG}
        try:
            self._connection = psycopg.connect(**params, autocommit=True, connect_timeout=5)
            self._connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error as exc:
            # Polling still works (or fails loudly) through Django's connection.
            logger.warning("outbox listener cannot connect", extra={"error": str(exc)})
            self._connection = None
        return self._connection
