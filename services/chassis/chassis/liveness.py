"""A worker's liveness beacon: a file whose modification time says when the worker's loop
last did its work while connected. A container health check reads it; with no file
configured (WORKER_HEARTBEAT_FILE unset) beating costs nothing."""

from __future__ import annotations

import os
import time
from pathlib import Path

HEARTBEAT_FILE_VARIABLE = "WORKER_HEARTBEAT_FILE"
_MIN_INTERVAL_SECONDS = 1.0


class Heartbeat:
    def __init__(self, path: str | None = None):
        configured = path or os.environ.get(HEARTBEAT_FILE_VARIABLE)
        self.path = Path(configured) if configured else None
        self._last = 0.0
        if self.path is not None:
            # A beat left by this worker's previous life must not vouch for this one.
            self.path.unlink(missing_ok=True)

    def beat(self) -> None:
        """Mark the worker alive; touches the file at most once a second."""
        now = time.monotonic()
        if self.path is None or now - self._last < _MIN_INTERVAL_SECONDS:
            return
        self._last = now
        self.path.touch()


def is_alive(path: str, within_seconds: float) -> bool:
    """What the health check asks: did the worker beat in the last within_seconds?"""
    try:
        return time.time() - os.stat(path).st_mtime < within_seconds
    except OSError:
        return False
