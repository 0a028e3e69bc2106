"""`manage.py consume <consumer-name>`: run one consumer from settings.EVENT_CONSUMERS until SIGTERM/SIGINT."""

from __future__ import annotations

import signal

from django.core.management.base import BaseCommand, CommandError

from chassis.messaging.consumer import ConsumerRunner
from chassis.messaging.registry import ConsumerConfigError, load_consumer
from chassis.messaging.topology import TopologyMismatch


class Command(BaseCommand):
    help = "Consume events for one consumer named in EVENT_CONSUMERS, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("consumer", help="A key of settings.EVENT_CONSUMERS, e.g. payment-results.")

    def handle(self, *args, consumer, **options):
        try:
            runner = ConsumerRunner(load_consumer(consumer))
        except ConsumerConfigError as exc:
            raise CommandError(str(exc)) from None
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: runner.stop())
        try:
            runner.run()
        except TopologyMismatch as exc:
            raise CommandError(str(exc)) from None
