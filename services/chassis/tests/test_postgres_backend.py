"""The chassis's PostgreSQL backend: a kept connection that nothing has happened to is
checked without a round trip, and one the server dropped is still replaced before a
request uses it."""

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from chassis.postgres.base import has_pending_input
from chassis_testing.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _admin() -> psycopg.Connection:
    database = settings.DATABASES["default"]
    return psycopg.connect(
        host=database["HOST"], port=database["PORT"], user=database["USER"], dbname=database["NAME"], autocommit=True
    )


def _last_statement_of(backend_pid: int) -> str:
    with _admin() as admin:
        return admin.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [backend_pid]).fetchone()[0]


def _as_at_a_new_request() -> None:
    connection.close_if_unusable_or_obsolete()  # what Django does when a request starts
    assert connection.health_check_enabled and not connection.health_check_done


def test_a_quiet_kept_connection_passes_its_check_without_a_round_trip():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last statement sent'")
    backend_pid = connection.connection.info.backend_pid
    _as_at_a_new_request()

    connection.close_if_health_check_failed()

    assert connection.health_check_done
    assert connection.connection is not None and connection.connection.info.backend_pid == backend_pid
    assert _last_statement_of(backend_pid) == "SELECT 'the last statement sent'"  # no SELECT 1 went out


def test_a_connection_the_server_dropped_is_replaced_before_it_is_used():
    connection.ensure_connection()
    dropped_pid = connection.connection.info.backend_pid
    with _admin() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [dropped_pid])
    # The server's goodbye (an error, then the end of the stream) arrives on the socket.
    wait_until(lambda: has_pending_input(connection.connection.fileno()), timeout=5, message="the server's goodbye")
    _as_at_a_new_request()

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != dropped_pid
