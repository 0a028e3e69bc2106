"""Measure events/s through outbox -> relay -> RabbitMQ -> consumer, with real processes.

    python benchmarks/outbox_throughput.py [--events 10000] [--consumers 2]

Uses the test project's settings and tiny app on a scratch database and scratch broker
names, all removed afterwards. Needs PostgreSQL and RabbitMQ as the tests do.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

CHASSIS_ROOT = Path(__file__).resolve().parents[1]
RUN_ID = f"bench{uuid.uuid4().hex[:6]}"
DATABASE = f"ecomlab_chassis_{RUN_ID}"
os.environ.update(CHASSIS_TEST_RUN_ID=RUN_ID, CHASSIS_DB_NAME=DATABASE, DJANGO_SETTINGS_MODULE="tests.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
sys.path.insert(0, str(CHASSIS_ROOT))

import django  # noqa: E402  (settings must be chosen first)

django.setup()

import pika  # noqa: E402
import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from chassis.messaging import publish  # noqa: E402
from chassis.messaging.models import InboxMessage, OutboxMessage  # noqa: E402
from chassis.messaging.registry import load_consumer  # noqa: E402
from chassis.messaging.topology import dead_letter_queue, declare_consumer_queue, declare_exchanges  # noqa: E402
from chassis_testing.processes import DjangoProcess  # noqa: E402
from chassis_testing.waiting import wait_until  # noqa: E402
from tests.support.events import order_created  # noqa: E402
from tests.support.processes import management_command  # noqa: E402
from tests.testapp.handlers import HANDLERS  # noqa: E402


def consumers_attached(channel, queue: str) -> int:
    return channel.queue_declare(queue, passive=True).method.consumer_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--consumers", type=int, default=2, help="consumer processes on the one queue")
    parser.add_argument("--log-level", default="WARNING", help="log level of the relay and consumers")
    args = parser.parse_args()
    admin = psycopg.connect(dbname="postgres", user="postgres", host="127.0.0.1", autocommit=True)
    admin.execute(f'CREATE DATABASE "{DATABASE}"')
    broker = pika.BlockingConnection(pika.URLParameters(settings.RABBITMQ_URL))
    channel = broker.channel()
    queue = load_consumer("receipts").queue
    processes: list[DjangoProcess] = []
    try:
        call_command("migrate", verbosity=0)
        declare_exchanges(channel)
        declare_consumer_queue(channel, queue, HANDLERS)
        env = {"LOG_LEVEL": args.log_level}
        processes += [
            management_command("consume", "receipts", database=DATABASE, env=env) for _ in range(args.consumers)
        ]
        processes.append(management_command("relay_outbox", database=DATABASE, env=env))
        wait_until(lambda: consumers_attached(channel, queue) == args.consumers, timeout=30)
        time.sleep(1)  # the relay is idle on LISTEN

        started = time.monotonic()
        with transaction.atomic():
            for _ in range(args.events):
                publish("order.created", order_created())
        stored = time.monotonic()
        pending = OutboxMessage.objects.filter(published_at__isnull=True)
        wait_until(lambda: not pending.exists(), timeout=600, interval=0.05)
        relayed = time.monotonic()
        wait_until(lambda: InboxMessage.objects.count() == args.events, timeout=600, interval=0.05)
        consumed = time.monotonic()

        print(f"events:                 {args.events}")
        print(f"outbox writes:          {args.events / (stored - started):8.0f} events/s")
        print(f"relay (commit->confirm):{args.events / (relayed - stored):8.0f} events/s")
        print(f"end to end ({args.consumers} consumers): {args.events / (consumed - stored):8.0f} events/s")
        # The inbox stamps rows with now(), the same for every message of one transaction.
        transactions = InboxMessage.objects.values("processed_at").distinct().count()
        print(f"consumer transactions:  {transactions:8d} ({args.events / transactions:.1f} events each)")
    finally:
        for process in processes:
            process.stop()
        if broker.is_open:
            broker.close()
        # A fresh connection: a long run leaves the first one unserved past its heartbeat.
        with pika.BlockingConnection(pika.URLParameters(settings.RABBITMQ_URL)) as cleanup:
            channel = cleanup.channel()
            for name in (queue, dead_letter_queue(queue), settings.EVENTS_UNROUTED_EXCHANGE):
                channel.queue_delete(name)
            for name in (
                settings.EVENTS_EXCHANGE,
                settings.EVENTS_UNROUTED_EXCHANGE,
                settings.EVENTS_DEAD_LETTER_EXCHANGE,
            ):
                channel.exchange_delete(name)
        connection.close()
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


if __name__ == "__main__":
    main()
