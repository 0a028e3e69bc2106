"""Storing a row unless one like it is there, in one statement.

get_or_create takes four round trips to do that (a read, a savepoint, the insert, the
savepoint's release), and more when it loses a race. INSERT ... ON CONFLICT DO NOTHING
takes one, and waits for a concurrent insert of the same values instead of racing it.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Model


def insert_unless_present(instance: Model) -> bool:
    """Insert the new, unsaved instance unless a row with one of its unique values exists.
    Returns whether it was inserted; the instance is then saved (database-set values such as
    an auto-increment id filled in), otherwise it stays unsaved and the row is left as it was."""
    meta = instance._meta
    connection = connections[router.db_for_write(type(instance), instance=instance)]
    quote = connection.ops.quote_name
    generated = [field for field in meta.concrete_fields if field.db_returning]
    written = [field for field in meta.concrete_fields if field not in generated]
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in written]
    returned = generated or [meta.pk]
    statement = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in written)}) "
        f"VALUES ({', '.join(['%s'] * len(written))}) ON CONFLICT DO NOTHING "
        f"RETURNING {', '.join(quote(field.column) for field in returned)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, values)
        row = cursor.fetchone()
    if row is None:
        return False
    for field, value in zip(returned, row, strict=True):
        setattr(instance, field.attname, value)
    instance._state.adding = False
    instance._state.db = connection.alias
    return True
