"""The names of the stack's consumer queues, from stack.yaml's `consumers`:

    <service>.<consumer>        one per consumer, shared by its processes
    <service>.<consumer>.dlq    where that queue dead-letters

The services name their queues by the same rule (chassis.messaging.topology); a test holds
the two to each other."""

from __future__ import annotations

import re

from ecomctl.description.stack_file import Stack

DEAD_LETTER_SUFFIX = ".dlq"


def consumer_queue(service: str, consumer: str) -> str:
    return f"{service}.{consumer}"


def dead_letter_queue(queue: str) -> str:
    return queue + DEAD_LETTER_SUFFIX


def consumer_queues(stack: Stack) -> list[str]:
    """Every consumer's queue, in stack.yaml's order."""
    return [consumer_queue(service.name, consumer) for service in stack.services for consumer in service.consumers]


def own_queues_pattern(service: str) -> str:
    """A regular expression matching any queue this rule gives the service (any consumer,
    and its dead letters): the queues its broker account may configure."""
    return re.escape(consumer_queue(service, "")) + r"[^.]+" + f"({re.escape(DEAD_LETTER_SUFFIX)})?"
