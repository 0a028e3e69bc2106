"""PostgreSQL for the local runtime: a private server per service, initialised with the
host's initdb and run as a supervised program, or databases and roles on a server given
by URL (ECOMLAB_POSTGRES_URL)."""

from __future__ import annotations

import subprocess
from urllib.parse import quote, urlsplit

import psycopg
from psycopg import sql

from ecomctl.runtime import prerequisites
from ecomctl.runtime.components import postgres_port
from ecomctl.runtime.errors import ExternalServerError, PrerequisiteMissing, StartupFailed
from ecomctl.runtime.local.accounts import Account, ensure_writable_by, hand_over
from ecomctl.runtime.local.layout import StateLayout
from ecomctl.runtime.local.supervisor import Program
from ecomctl.stack import Service, Stack

SUPERUSER = "postgres"
# Trust, but only over loopback TCP; no unix socket is opened at all.
PG_HBA = "host all all 127.0.0.1/32 trust\n"


class PrivatePostgres:
    """One service's own PostgreSQL server, in <state>/data/postgres/<service>."""

    def __init__(self, stack: Stack, service: Service, layout: StateLayout, account: Account | None):
        self.service = service
        self.port = postgres_port(stack, service)
        self.data_dir = layout.postgres(service.name)
        self.account = account
        self.component = f"{service.name}-db"

    @property
    def admin_url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    @property
    def database_url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{self.service.database}"

    def initialise(self) -> None:
        """Create the cluster once; an existing one is kept with its data."""
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        hand_over(self.data_dir, self.account)
        ensure_writable_by(self.data_dir, self.account)
        command = [str(_bin_dir() / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
                   "--auth=trust", "--encoding=UTF8", "--no-instructions"]
        options = self.account.subprocess_options() if self.account else {}
        result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=self.data_dir, **options)
        if result.returncode != 0:
            raise StartupFailed(self.component, f"initdb failed: {result.stderr.strip()}")
        (self.data_dir / "pg_hba.conf").write_text(PG_HBA)

    def program(self) -> Program:
        return Program(
            name=self.component,
            command=[str(_bin_dir() / "postgres"), "-D", str(self.data_dir), "-p", str(self.port),
                     "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
            directory=self.data_dir,
            user=self.account.name if self.account else None,
            stop_signal="INT",  # "fast" shutdown; TERM would wait for every client to leave
            stop_as_group=False,  # the postmaster stops its own backends
            stop_wait_seconds=30,
        )

    def create_database(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as connection:
            _create_database(connection, self.service.database, owner=SUPERUSER)


class ExternalPostgres:
    """Own database and role per service on a server the user runs."""

    def __init__(self, admin_url: str, layout: StateLayout):
        self.admin_url = admin_url
        self.layout = layout
        address = urlsplit(admin_url)
        self.host, self.port = address.hostname or "127.0.0.1", address.port or 5432

    def database_url(self, service: Service) -> str:
        password = quote(self.layout.secret(f"postgres-{service.name}"), safe="")
        return f"postgresql://{service.database}:{password}@{self.host}:{self.port}/{service.database}"

    def prepare(self, service: Service) -> None:
        with self._connect() as connection:
            role = sql.Identifier(service.database)
            password = sql.Literal(self.layout.secret(f"postgres-{service.name}"))
            exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (service.database,)).fetchone()
            verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
            connection.execute(sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(verb, role, password))
            _create_database(connection, service.database, owner=service.database)

    def drop(self, service: Service) -> None:
        with self._connect() as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(service.database)))
            connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(service.database)))

    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5)
        except psycopg.Error as error:
            raise ExternalServerError(
                f"PostgreSQL at ECOMLAB_POSTGRES_URL cannot be reached ({str(error).strip().splitlines()[0]}).",
                "Check the URL names a running server and a role allowed to create roles and databases.",
            ) from None


def _create_database(connection: psycopg.Connection, name: str, *, owner: str) -> None:
    if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        return
    connection.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(owner)))


def _bin_dir():
    directory = prerequisites.postgres_bin_dir()
    if directory is None:
        raise PrerequisiteMissing("PostgreSQL", prerequisites.check((prerequisites.POSTGRES,))[0].install_command)
    return directory
