"""`manage.py relay_outbox`: publish this service's outbox to RabbitMQ until SIGTERM/SIGINT."""

from __future__ import annotations

import signal

from django.core.management.base import BaseCommand, CommandError

from chassis.messaging.relay import OutboxRelay
from chassis.messaging.topology import TopologyMismatch


class Command(BaseCommand):
    help = "Relay outbox events to the events exchange, with publisher confirms, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help="Rows claimed per batch.")
        parser.add_argument(
            "--poll-interval", type=float, default=None, help="Seconds between polls when no NOTIFY arrives."
        )

    def handle(self, *args, batch_size, poll_interval, **options):
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if poll_interval is not None and poll_interval <= 0:
            raise CommandError("--poll-interval must be a positive number of seconds.")
        relay = OutboxRelay(batch_size=batch_size, poll_interval=poll_interval)
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: relay.stop())
        try:
            relay.run()
        except TopologyMismatch as exc:
            raise CommandError(str(exc)) from None
