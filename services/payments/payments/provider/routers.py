"""Sends every query on the provider's ledger through the ledger's own connection, so it
is never part of a payments transaction."""

from __future__ import annotations

LEDGER_DATABASE = "provider_ledger"


class LedgerRouter:
    def db_for_read(self, model, **hints):
        return LEDGER_DATABASE if model._meta.label == "provider.ProviderCharge" else None

    db_for_write = db_for_read

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # One database behind two connections: migrations run once, through default.
        return db != LEDGER_DATABASE
