"""The stack's queues as ecomctl sees them: their names, derived from stack.yaml, and how
many messages and consumers each holds. Returns data; drawing it is the views' job."""

from __future__ import annotations

from dataclasses import dataclass

import pika.exceptions

from ecomctl.broker.connection import connect
from ecomctl.description.stack_file import Stack

# The names come from the one rule ecomctl shares with the chassis; commands ask for them here.
from ecomctl.runtime.queue_names import (  # noqa: F401
    DEAD_LETTER_SUFFIX,
    consumer_queue,
    consumer_queues,
    dead_letter_queue,
)


@dataclass(frozen=True)
class QueueDepth:
    name: str
    messages: int | None  # None: the queue does not exist (yet)
    consumers: int | None


def queue_names(stack: Stack) -> list[str]:
    names = [name for queue in consumer_queues(stack) for name in (queue, dead_letter_queue(queue))]
    # The unrouted exchange's queue has the exchange's name.
    return names + [stack.events["unrouted_exchange"]]


def queue_depths(url: str, names: list[str]) -> list[QueueDepth]:
    connection = connect(url)
    depths = []
    try:
        for name in names:
            channel = connection.channel()
            try:
                declared = channel.queue_declare(queue=name, passive=True)
                depths.append(QueueDepth(name, declared.method.message_count, declared.method.consumer_count))
                channel.close()
            except pika.exceptions.ChannelClosedByBroker:
                depths.append(QueueDepth(name, None, None))  # a passive declare of a missing queue closes the channel
    finally:
        connection.close()
    return depths
