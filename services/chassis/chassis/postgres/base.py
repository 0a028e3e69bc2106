"""Django's PostgreSQL backend, with a cheaper health check for kept connections.

With CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request
on a kept connection, so a connection the server dropped while it sat idle is replaced
instead of failing the request. That is one round trip per request, most of the time for
nothing. A server that drops a connection (a restart, pg_terminate_backend, an idle
timeout) says so on the socket: it sends an error and closes it. So the socket is looked
at first, without waiting: while nothing has arrived since the last answer, the
connection is as the server left it and the check is done; only when something has
arrived does the real `SELECT 1` run (and psycopg read what came).

What neither check can see quickly is a server that vanished without a word (a host
gone); `SELECT 1` would then wait as long as the request's own first query does."""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


def has_pending_input(fileno: int) -> bool:
    """Whether anything (data, an error, the end of the stream) waits to be read."""
    poller = select.poll()
    poller.register(fileno, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_done: bool  # set by Django's wrapper: whether this request's check is done

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.connection.closed
            and not has_pending_input(self.connection.fileno())
        ):
            self.health_check_done = True  # quiet since its last answer: nothing to check
            return
        super().close_if_health_check_failed()
