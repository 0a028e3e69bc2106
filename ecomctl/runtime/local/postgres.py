"""PostgreSQL for the local runtime: a private server per service, initialised with the
host's initdb and run as a supervised program, or databases and roles on a server given
by URL (ECOMLAB_POSTGRES_URL).

Either way a service's database accepts only that service's own role, with a password of
its own (scram-sha-256, never trust), and ecomctl signs in as a separate operator role: no
service can read another's data, even though every server listens on the same loopback."""

from __future__ import annotations

import os
import subprocess
import tempfile
from functools import cached_property
from pathlib import Path
from urllib.parse import quote, urlsplit

import psycopg
from psycopg import sql

from ecomctl.description.stack_file import Service, Stack
from ecomctl.runtime import prerequisites
from ecomctl.runtime.components import postgres_port
from ecomctl.runtime.errors import ExternalServerError, PrerequisiteMissing, StartupFailed
from ecomctl.runtime.local.accounts import Account, ensure_writable_by, hand_over
from ecomctl.runtime.local.layout import StateLayout
from ecomctl.runtime.local.supervisor import Program

# ecomctl's own role on a private server: its superuser, whose password no service is given.
OPERATOR = "postgres"
OPERATOR_SECRET = "postgres-operator"


def service_secret(service: Service) -> str:
    return f"postgres-{service.name}"


class PrivatePostgres:
    """One service's own PostgreSQL server, in <state>/data/postgres/<service>."""

    def __init__(self, stack: Stack, service: Service, layout: StateLayout, account: Account | None):
        self.service = service
        self.port = postgres_port(stack, service)
        self.data_dir = layout.postgres(service.name)
        self.layout = layout
        self.account = account
        self.component = f"{service.name}-db"
        self.role = service.database

    @cached_property
    def operator_password(self) -> str:
        return self.layout.secret(OPERATOR_SECRET)

    @cached_property
    def service_password(self) -> str:
        return self.layout.secret(service_secret(self.service))

    @property
    def admin_url(self) -> str:
        return f"postgresql://{OPERATOR}:{quote(self.operator_password, safe='')}@127.0.0.1:{self.port}/postgres"

    @property
    def database_url(self) -> str:
        """The service's own: its role, its password, its database."""
        password = quote(self.service_password, safe="")
        return f"postgresql://{self.role}:{password}@127.0.0.1:{self.port}/{self.service.database}"

    def access_rules(self) -> str:
        """pg_hba.conf: loopback TCP only (no unix socket is opened), a password always, and
        only two roles: the service's own, to its own database, and the operator."""
        return (
            f"host {self.service.database} {self.role} 127.0.0.1/32 scram-sha-256\n"
            f"host all {OPERATOR} 127.0.0.1/32 scram-sha-256\n"
        )

    @property
    def _rules_file(self) -> Path:
        return self.data_dir / "pg_hba.conf"

    def initialise(self) -> None:
        """Create the cluster once; an existing one is kept with its data."""
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        hand_over(self.data_dir, self.account)
        ensure_writable_by(self.data_dir, self.account)
        with tempfile.NamedTemporaryFile("w", dir=self.data_dir.parent, prefix=".pwfile-") as password_file:
            password_file.write(self.operator_password)
            password_file.flush()
            if self.account:
                os.chown(password_file.name, self.account.uid, self.account.gid)  # initdb runs as it
            command = [
                str(_bin_dir() / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                OPERATOR,
                "--auth=scram-sha-256",
                f"--pwfile={password_file.name}",
                "--encoding=UTF8",
                "--no-instructions",
            ]
            options = self.account.subprocess_options() if self.account else {}
            result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=self.data_dir, **options)
        if result.returncode != 0:
            raise StartupFailed(self.component, f"initdb failed: {result.stderr.strip()}")
        self._rules_file.write_text(self.access_rules())

    def program(self) -> Program:
        return Program(
            name=self.component,
            command=[
                str(_bin_dir() / "postgres"),
                "-D",
                str(self.data_dir),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=",
            ],
            directory=self.data_dir,
            user=self.account.name if self.account else None,
            stop_signal="INT",  # "fast" shutdown; TERM would wait for every client to leave
            stop_as_group=False,  # the postmaster stops its own backends
            stop_wait_seconds=30,
        )

    def create_database(self) -> None:
        """The service's role and database, once the server answers. A server an earlier
        ecomctl made trusted every loopback connection: it gets its passwords and rules
        here, and the service's tables are handed to the service's role."""
        trusted = "trust" in self._rules_file.read_text()
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as connection:
            if trusted:
                connection.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        sql.Identifier(OPERATOR), sql.Literal(self.operator_password)
                    )
                )
            _ensure_role(connection, self.role, self.service_password)
            _create_database(connection, self.service.database, owner=self.role)
        if trusted:
            with psycopg.connect(
                self.admin_url.rsplit("/", 1)[0] + f"/{self.service.database}", autocommit=True, connect_timeout=5
            ) as connection:
                _hand_tables_to(connection, self.role)
            self._rules_file.write_text(self.access_rules())
            with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as connection:
                connection.execute("SELECT pg_reload_conf()")


class ExternalPostgres:
    """Own database and role per service on a server the user runs."""

    def __init__(self, admin_url: str, layout: StateLayout):
        self.admin_url = admin_url
        self.layout = layout
        address = urlsplit(admin_url)
        self.host, self.port = address.hostname or "127.0.0.1", address.port or 5432

    def database_url(self, service: Service) -> str:
        password = quote(self.layout.secret(service_secret(service)), safe="")
        return f"postgresql://{service.database}:{password}@{self.host}:{self.port}/{service.database}"

    def prepare(self, service: Service) -> None:
        with self._connect() as connection:
            _ensure_role(connection, service.database, self.layout.secret(service_secret(service)))
            _create_database(connection, service.database, owner=service.database)
            # Only its owner may connect: not PUBLIC, so not another service's role.
            connection.execute(
                sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(service.database))
            )

    def drop(self, service: Service) -> None:
        with self._connect() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(service.database))
            )
            connection.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(service.database)))

    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5)
        except psycopg.Error as error:
            raise ExternalServerError(
                f"PostgreSQL at ECOMLAB_POSTGRES_URL cannot be reached ({str(error).strip().splitlines()[0]}).",
                "Check the URL names a running server and a role allowed to create roles and databases.",
            ) from None


def _ensure_role(connection: psycopg.Connection, role: str, password: str) -> None:
    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
    connection.execute(
        sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(verb, sql.Identifier(role), sql.Literal(password))
    )


def _create_database(connection: psycopg.Connection, name: str, *, owner: str) -> None:
    found = connection.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if found is None:
        connection.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(name), sql.Identifier(owner)))
    elif found[0] != owner:
        connection.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(name), sql.Identifier(owner)))


def _hand_tables_to(connection: psycopg.Connection, role: str) -> None:
    """Tables, sequences and views of the public schema another role created, now the
    service's own (an ALTER TABLE of a table moves its owned sequences with it)."""
    owned = connection.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S') "
        "AND pg_get_userbyid(c.relowner) <> %s "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i') "
        "AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass)",
        (role,),
    ).fetchall()
    for (name,) in owned:
        connection.execute(sql.SQL("ALTER TABLE {} OWNER TO {}").format(sql.Identifier(name), sql.Identifier(role)))


def _bin_dir():
    directory = prerequisites.postgres_bin_dir()
    if directory is None:
        raise PrerequisiteMissing("PostgreSQL", prerequisites.check((prerequisites.POSTGRES,))[0].install_command)
    return directory
