"""`manage.py prune_messaging`: delete published outbox rows and inbox records past their
retention now. The relay does this by itself when idle; this is for services without a
relay, or for a scheduler."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from chassis.messaging.config import setting
from chassis.messaging.retention import prune_messaging_tables


class Command(BaseCommand):
    help = "Delete published outbox rows and inbox records older than their retention."

    def add_arguments(self, parser):
        parser.add_argument(
            "--outbox-hours",
            type=float,
            default=None,
            help="Keep published outbox rows this many hours (default: OUTBOX_RETENTION_HOURS).",
        )
        parser.add_argument(
            "--inbox-hours",
            type=float,
            default=None,
            help="Keep inbox records this many hours (default: INBOX_RETENTION_HOURS).",
        )

    def handle(self, *args, outbox_hours, inbox_hours, **options):
        outbox_hours = setting("OUTBOX_RETENTION_HOURS") if outbox_hours is None else outbox_hours
        inbox_hours = setting("INBOX_RETENTION_HOURS") if inbox_hours is None else inbox_hours
        for option, hours in (("--outbox-hours", outbox_hours), ("--inbox-hours", inbox_hours)):
            if hours < 0:
                raise CommandError(f"{option} must be zero or more hours.")
        pruned = prune_messaging_tables(
            outbox_retention=timedelta(hours=float(outbox_hours)), inbox_retention=timedelta(hours=float(inbox_hours))
        )
        self.stdout.write(f"Deleted {pruned.outbox} published outbox rows and {pruned.inbox} inbox records.")
