"""Whether a service's database already holds every migration of the code about to run,
found without starting Django: `manage.py migrate` costs a Django start per service
(seconds, and five of them at once on every `up`) even when it has nothing to apply.

A successful migrate stamps the database (COMMENT ON DATABASE) with a digest of the
migration files it applied and of the Django version, whose own apps carry migrations too.
A later `up` that finds the same digest skips the migrate. An edited or added migration, a
Django upgrade or a database created afresh (no stamp) makes it run again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from pathlib import Path

import psycopg
from psycopg import sql

STAMP_PREFIX = "ecomlab migrations "


def migrations_digest(service_directory: Path) -> str | None:
    """The digest of what a migrate of this service would apply; None when the chassis or
    Django cannot be found from here (the migrate then always runs)."""
    chassis = importlib.util.find_spec("chassis")
    if chassis is None or not chassis.submodule_search_locations:
        return None
    try:
        django_version = importlib.metadata.version("django")
    except importlib.metadata.PackageNotFoundError:
        return None
    digest = hashlib.sha256(f"django {django_version}\n".encode())
    for root in (service_directory, Path(list(chassis.submodule_search_locations)[0])):
        for migration in sorted(root.glob("**/migrations/*.py")):
            if "tests" in migration.relative_to(root).parts:
                continue  # test apps' migrations never reach a stack's database
            digest.update(f"{migration.relative_to(root)}\n".encode())
            digest.update(migration.read_bytes())
    return digest.hexdigest()


def is_current(database_url: str, digest: str | None) -> bool:
    if digest is None:
        return False
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as connection:
        row = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        ).fetchone()
    return row is not None and row[0] == STAMP_PREFIX + digest


def stamp(database_url: str, digest: str | None) -> None:
    """Record that the database holds the migrations of digest (its owner may comment on it)."""
    if digest is None:
        return
    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as connection:
        row = connection.execute("SELECT current_database()").fetchone()
        if row is None:
            raise RuntimeError("SELECT current_database() returned no row")
        database = row[0]
        connection.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(database), sql.Literal(STAMP_PREFIX + digest))
        )
