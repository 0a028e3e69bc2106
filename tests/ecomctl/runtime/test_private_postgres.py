"""A private PostgreSQL server: initialised, started, killed and started again under
supervisord, as an unprivileged account when the tests run as root."""

from __future__ import annotations

import os
import pwd
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest

from ecomctl.runtime.local.accounts import infra_account
from ecomctl.runtime.local.postgres import PrivatePostgres
from ecomctl.runtime.readiness import PostgresAnswers, wait_until_ready

pytestmark = pytest.mark.usefixtures("postgres_binaries")


def process_owner(pid: int) -> str:
    uid_line = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("Uid:"))
    return pwd.getpwuid(int(uid_line.split()[1])).pw_name


def refuses_connections(url: str) -> bool:
    try:
        psycopg.connect(url, connect_timeout=2).close()
        return False
    except psycopg.OperationalError:
        return True


@pytest.fixture
def server(stack, layout):
    server = PrivatePostgres(stack, stack.service("orders"), layout, infra_account("postgres"))
    server.initialise()
    return server


def test_server_runs_as_an_unprivileged_account_and_serves_its_database(server, supervised):
    supervisor = supervised([server.program()])

    supervisor.start(server.component)
    wait_until_ready(server.component, PostgresAnswers(server.admin_url), timeout=30)
    server.create_database()

    with psycopg.connect(server.database_url) as connection:
        assert connection.execute("SELECT current_database()").fetchone() == ("ecomlab_orders",)
    owner = process_owner(supervisor.info(server.component)["pid"])
    assert owner == (pwd.getpwuid(os.geteuid()).pw_name if os.geteuid() else "postgres")


def test_killed_server_stays_down_until_started_and_keeps_its_data(server, supervised, wait_for_state):
    supervisor = supervised([server.program()])
    supervisor.start(server.component)
    wait_until_ready(server.component, PostgresAnswers(server.admin_url), timeout=30)
    server.create_database()
    with psycopg.connect(server.database_url, autocommit=True) as connection:
        connection.execute("CREATE TABLE kept (value text)")
        connection.execute("INSERT INTO kept VALUES ('survives a kill')")

    supervisor.signal_group(server.component, signal.SIGKILL)
    killed_state = wait_for_state(supervisor, server.component, "EXITED")
    refused = refuses_connections(server.admin_url)
    supervisor.start(server.component)
    wait_until_ready(server.component, PostgresAnswers(server.admin_url), timeout=30)

    assert killed_state == "EXITED"
    assert refused
    with psycopg.connect(server.database_url) as connection:
        assert connection.execute("SELECT value FROM kept").fetchone() == ("survives a kill",)


def test_stopped_server_refuses_connections(server, supervised):
    supervisor = supervised([server.program()])
    supervisor.start(server.component)
    wait_until_ready(server.component, PostgresAnswers(server.admin_url), timeout=30)

    supervisor.stop(server.component)

    assert supervisor.info(server.component)["statename"] == "STOPPED"
    assert refuses_connections(server.admin_url)


def test_paused_server_answers_no_query_on_an_open_connection_until_unpaused(server, supervised):
    """Its backends lead process groups of their own, so pausing must reach them too."""
    supervisor = supervised([server.program()])
    supervisor.start(server.component)
    wait_until_ready(server.component, PostgresAnswers(server.admin_url), timeout=30)
    with psycopg.connect(server.admin_url, autocommit=True) as connection:
        supervisor.signal_group(server.component, signal.SIGSTOP)
        try:
            with ThreadPoolExecutor(max_workers=1) as pool:
                query = pool.submit(lambda: connection.execute("SELECT 1").fetchone())
                with pytest.raises(TimeoutError):
                    query.result(timeout=2)
                supervisor.signal_group(server.component, signal.SIGCONT)
                assert query.result(timeout=10) == (1,)
        finally:
            supervisor.signal_group(server.component, signal.SIGCONT)


def started(server, supervised):
    supervisor = supervised([server.program()])
    supervisor.start(server.component)
    wait_until_ready(server.component, PostgresAnswers(server.admin_url), timeout=30)
    server.create_database()
    return supervisor


def test_only_the_services_own_role_with_its_password_reaches_its_database(server, stack, layout, supervised):
    started(server, supervised)
    payments = PrivatePostgres(stack, stack.service("payments"), layout, infra_account("postgres"))
    own = f"127.0.0.1:{server.port}/{server.service.database}"

    assert not refuses_connections(server.database_url)
    assert refuses_connections(f"postgresql://{server.role}@{own}")  # no password: nothing is trusted
    assert refuses_connections(f"postgresql://{server.role}:wrong@{own}")
    assert refuses_connections(payments.database_url.replace(f"{payments.port}/{payments.service.database}", own))
    assert refuses_connections(server.database_url.rsplit("/", 1)[0] + "/postgres")  # its role, another database


def test_a_server_that_trusted_loopback_gets_passwords_and_the_service_keeps_its_tables(server, supervised):
    """What a server made before roles had passwords is brought in line at the next `up`."""
    (server.data_dir / "pg_hba.conf").write_text("host all all 127.0.0.1/32 trust\n")
    supervisor = supervised([server.program()])
    supervisor.start(server.component)
    trusting = f"postgresql://postgres@127.0.0.1:{server.port}"
    wait_until_ready(server.component, PostgresAnswers(f"{trusting}/postgres"), timeout=30)
    with psycopg.connect(f"{trusting}/postgres", autocommit=True) as connection:
        connection.execute("CREATE DATABASE ecomlab_orders")
    with psycopg.connect(f"{trusting}/ecomlab_orders") as connection:
        connection.execute("CREATE TABLE kept (id serial PRIMARY KEY, value text)")
        connection.execute("INSERT INTO kept (value) VALUES ('made by the superuser')")

    server.create_database()

    assert refuses_connections(f"{trusting}/postgres")
    with psycopg.connect(server.database_url) as connection:
        connection.execute("INSERT INTO kept (value) VALUES ('added by the service')")
        assert [row[0] for row in connection.execute("SELECT value FROM kept ORDER BY id")] == [
            "made by the superuser",
            "added by the service",
        ]
