"""A warm `up` skips a service's migrate only when its database was migrated with the very
migration files and Django version about to run."""

from __future__ import annotations

import os
import secrets

import pytest

from ecomctl.description.stack_file import Service
from ecomctl.runtime.local import schema_stamp
from ecomctl.runtime.local.postgres import ExternalPostgres

POSTGRES_URL = os.environ.get("ECOMLAB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def service_database(layout):
    """The URL of a fresh database owned by its service's role, as `up` creates them."""
    service = Service(
        f"test{secrets.token_hex(4)}", port=1, routes=(), consumers=(), depends_on=(), publishes=False, index=0
    )
    postgres = ExternalPostgres(POSTGRES_URL, layout)
    postgres.prepare(service)
    try:
        yield postgres.database_url(service)
    finally:
        postgres.drop(service)


@pytest.fixture
def service_directory(tmp_path):
    migrations = tmp_path / "shop" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "0001_initial.py").write_text("operations = []\n")
    return tmp_path


def test_a_database_never_stamped_is_migrated(service_database, service_directory):
    assert not schema_stamp.is_current(service_database, schema_stamp.migrations_digest(service_directory))


def test_a_database_stamped_with_the_same_migrations_is_current(service_database, service_directory):
    digest = schema_stamp.migrations_digest(service_directory)
    schema_stamp.stamp(service_database, digest)

    assert schema_stamp.is_current(service_database, digest)


def test_an_added_or_edited_migration_makes_the_stamp_stale(service_database, service_directory):
    schema_stamp.stamp(service_database, schema_stamp.migrations_digest(service_directory))
    migrations = service_directory / "shop" / "migrations"

    (migrations / "0002_more.py").write_text("operations = []\n")
    assert not schema_stamp.is_current(service_database, schema_stamp.migrations_digest(service_directory))

    schema_stamp.stamp(service_database, schema_stamp.migrations_digest(service_directory))
    (migrations / "0001_initial.py").write_text("operations = ['changed']\n")
    assert not schema_stamp.is_current(service_database, schema_stamp.migrations_digest(service_directory))


def test_the_chassis_migrations_count_too(service_directory):
    # Without the chassis's own migrations (the outbox and inbox tables) in the digest, an
    # edit there would go unapplied on a warm `up`.
    digest = schema_stamp.migrations_digest(service_directory)
    empty = service_directory / "empty"
    empty.mkdir()

    assert digest is not None
    assert schema_stamp.migrations_digest(empty) not in (None, digest)
