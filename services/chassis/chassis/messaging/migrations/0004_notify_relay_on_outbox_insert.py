"""The relay is woken by a trigger on the outbox table rather than by a pg_notify call of
its own after each insert: the NOTIFY is still sent when the inserting transaction commits
(and only then), but publishing an event costs one round trip to the database, not two."""

from django.db import migrations

# The channel the relay LISTENs on (chassis.messaging.outbox.NOTIFY_CHANNEL). Spelled out
# here: a migration must keep meaning what it meant when it was written.
_CREATE = """
    CREATE FUNCTION messaging_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('ecomlab_outbox', '');
        RETURN NULL;
    END
    $$;
    CREATE TRIGGER messaging_outbox_notify AFTER INSERT ON messaging_outbox
        FOR EACH STATEMENT EXECUTE FUNCTION messaging_outbox_notify();
"""
_DROP = """
    DROP TRIGGER IF EXISTS messaging_outbox_notify ON messaging_outbox;
    DROP FUNCTION IF EXISTS messaging_outbox_notify();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0003_inbox_correlation_id"),
    ]

    operations = [migrations.RunSQL(_CREATE, reverse_sql=_DROP)]
