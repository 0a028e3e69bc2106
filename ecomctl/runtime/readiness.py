"""Small readiness strategies (TCP port, HTTP 200, AMQP connect, PostgreSQL query) and a
bounded wait that composes them, instead of sleeping and hoping."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ecomctl.runtime.errors import StartupFailed


class ReadinessCheck(Protocol):
    @property
    def description(self) -> str: ...

    def is_ready(self) -> bool: ...


@dataclass(frozen=True)
class HttpOk:
    url: str

    @property
    def description(self) -> str:
        return f"HTTP 200 from {self.url}"

    def is_ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url, timeout=2) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False


@dataclass(frozen=True)
class AmqpConnects:
    url: str

    @property
    def description(self) -> str:
        return "AMQP connection accepted"

    def is_ready(self) -> bool:
        import pika  # imported here: only runtimes that wait for a broker need it
        import pika.exceptions

        parameters = pika.URLParameters(self.url)
        parameters.socket_timeout = 2
        parameters.blocked_connection_timeout = 2
        parameters.connection_attempts = 1
        try:
            pika.BlockingConnection(parameters).close()
            return True
        except (pika.exceptions.AMQPError, OSError):
            return False


@dataclass(frozen=True)
class PostgresAnswers:
    url: str

    @property
    def description(self) -> str:
        return "PostgreSQL answering queries"

    def is_ready(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.url, connect_timeout=2) as connection:
                connection.execute("SELECT 1")
            return True
        except psycopg.Error:
            return False


def wait_until_ready(
    component: str,
    check: ReadinessCheck,
    *,
    timeout: float,
    still_running: Callable[[], bool] = lambda: True,
    log_file: str | None = None,
    interval: float = 0.2,
) -> None:
    """Return once the check passes; fail fast when the process has already exited."""
    deadline = time.monotonic() + timeout
    while True:
        if check.is_ready():
            return
        if not still_running():
            raise StartupFailed(component, "its process exited", log_file)
        if time.monotonic() > deadline:
            raise StartupFailed(component, f"no {check.description} within {timeout:g} s", log_file)
        time.sleep(interval)
