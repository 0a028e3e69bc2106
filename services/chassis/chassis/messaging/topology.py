"""Exchanges and queues, declared by code (idempotently) at every connect and reconnect.

    ecomlab.events       topic, durable; routing key = event type
    │   alternate-exchange ──> ecomlab.unrouted   fanout
    │                          └── ecomlab.unrouted   queue: events nobody consumes yet
    │                                                 (the newest 10,000 kept for inspection)
    └── <service>.<consumer>   quorum, bound to each event type its handlers take
            x-delivery-limit, x-dead-letter-exchange ──> ecomlab.dlx   direct
                                                         └── <service>.<consumer>.dlq
                                                             (routing key = queue name)

Exchange names come from settings EVENTS_EXCHANGE, EVENTS_UNROUTED_EXCHANGE and
EVENTS_DEAD_LETTER_EXCHANGE; the limit from EVENTS_DELIVERY_LIMIT. Queue names follow one
rule, consumer_queue() and dead_letter_queue(): ecomctl grants each service's broker account
exactly the queues of that shape (its own copy of the rule is tested against this one).

The exchanges belong to the platform, not to any one service: the broker's operator
declares them (ecomctl loads them with the broker's accounts), and a service, whose
account may configure only its own queues, checks that they are there. A consumer
declares its own queues and their bindings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import ChannelClosedByBroker

from chassis.messaging.config import setting

PRECONDITION_FAILED = 406
DEAD_LETTER_SUFFIX = ".dlq"
UNROUTED_QUEUE_ARGUMENTS = {"x-max-length": 10_000, "x-overflow": "drop-head"}


class TopologyMismatch(RuntimeError):
    """An exchange or queue already exists with other arguments than the code declares."""


def consumer_queue(service: str, consumer: str) -> str:
    """The queue of one consumer of a service, shared by all of that consumer's processes."""
    return f"{service}.{consumer}"


def dead_letter_queue(queue: str) -> str:
    return f"{queue}{DEAD_LETTER_SUFFIX}"


def declare_exchanges(channel: BlockingChannel) -> None:
    """The operator's part: needs an account that may configure the exchanges."""
    unrouted = setting("EVENTS_UNROUTED_EXCHANGE")
    with _explained():
        channel.exchange_declare(unrouted, "fanout", durable=True)
        # Bounded: events nobody consumes must not grow the broker's disk forever.
        channel.queue_declare(unrouted, durable=True, arguments=UNROUTED_QUEUE_ARGUMENTS)
        channel.queue_bind(unrouted, unrouted)
        channel.exchange_declare(
            setting("EVENTS_EXCHANGE"), "topic", durable=True, arguments={"alternate-exchange": unrouted}
        )
        channel.exchange_declare(setting("EVENTS_DEAD_LETTER_EXCHANGE"), "direct", durable=True)


def require_exchanges(channel: BlockingChannel) -> None:
    """A service's part: the exchanges must exist. If they do not, the broker closes the
    channel with 404 NOT_FOUND naming the exchange, and the caller retries as for any broker
    error, until the operator has declared them."""
    for name in (setting("EVENTS_EXCHANGE"), setting("EVENTS_DEAD_LETTER_EXCHANGE")):
        channel.exchange_declare(name, passive=True)


def declare_consumer_queue(channel: BlockingChannel, queue: str, event_types: Iterable[str]) -> None:
    dead_letter_exchange = setting("EVENTS_DEAD_LETTER_EXCHANGE")
    dead_letters = dead_letter_queue(queue)
    with _explained():
        channel.queue_declare(dead_letters, durable=True, arguments={"x-queue-type": "quorum"})
        channel.queue_bind(dead_letters, dead_letter_exchange, routing_key=queue)
        channel.queue_declare(
            queue,
            durable=True,
            arguments={
                "x-queue-type": "quorum",
                "x-delivery-limit": int(setting("EVENTS_DELIVERY_LIMIT")),
                "x-dead-letter-exchange": dead_letter_exchange,
                "x-dead-letter-routing-key": queue,
            },
        )
        for event_type in sorted(event_types):
            channel.queue_bind(queue, setting("EVENTS_EXCHANGE"), routing_key=event_type)


@contextmanager
def _explained() -> Iterator[None]:
    """Turn the broker's PRECONDITION_FAILED into an error that says what to do."""
    try:
        yield
    except ChannelClosedByBroker as exc:
        if exc.reply_code != PRECONDITION_FAILED:
            raise
        raise TopologyMismatch(
            f"{exc.reply_text}. Delete the existing exchange or queue (rabbitmqctl delete_queue "
            "NAME) or restore the settings it was declared with."
        ) from None
