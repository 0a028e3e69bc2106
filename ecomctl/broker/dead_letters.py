"""Dead letters: what each consumer queue's dead-letter queue holds, and moving it back to
that queue once the cause is fixed. Takes a broker URL and consumer queue names and
returns data; the command maps the stack to names and ecomctl/views draws.

    <queue>  ── rejected, or past its delivery limit ──> dead-letter exchange ──> <queue>.dlq
    <queue>.dlq  ── replay: default exchange, routing key <queue> ──> <queue> (and no one else)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pika
import pika.exceptions

from ecomctl.broker.connection import BrokerUnreachable, connect
from ecomctl.broker.queues import DEAD_LETTER_SUFFIX, dead_letter_queue

NOT_FOUND = 404
PREVIEW_BYTES = 80
# What the broker wrote on the way to the DLQ; a replayed message starts afresh.
BROKER_HEADERS = ("x-death", "x-delivery-count", "x-acquired-count")
BROKER_HEADER_PREFIXES = ("x-first-death-", "x-last-death-")


class DeadLetterProblem(Exception):
    """A dead-letter request that cannot be done; str() says why and what to do."""


@dataclass(frozen=True)
class Death:
    reason: str  # rejected, delivery_limit, expired or maxlen
    count: int  # times it was dead-lettered from `queue` for this reason
    queue: str


@dataclass(frozen=True)
class DeadLetter:
    event_id: str | None
    event_type: str | None
    correlation_id: str | None
    deaths: tuple[Death, ...]
    body_preview: str | None  # the body's first bytes, when it is not an event envelope


@dataclass(frozen=True)
class DeadLetterQueue:
    name: str
    depth: int | None  # None: not declared yet (its consumer has never started)
    messages: list[DeadLetter]

    @property
    def source(self) -> str:
        """The consumer queue whose dead letters it holds."""
        return self.name.removesuffix(DEAD_LETTER_SUFFIX)


def resolve_queue(name: str, queues: list[str]) -> str:
    """The consumer queue meant by `name`, which may end in `.dlq`."""
    queue = name.removesuffix(DEAD_LETTER_SUFFIX)
    if queue not in queues:
        raise DeadLetterProblem(f"There is no consumer queue named {name!r}. Choose one of: {', '.join(queues)}.")
    return queue


def peek(url: str, queues: list[str], *, limit: int) -> list[DeadLetterQueue]:
    """The first `limit` messages in each queue's DLQ; every message stays, in its place."""
    connection = connect(url)
    try:
        _refuse_where_looking_drops(connection)
        return [_peek_one(connection, dead_letter_queue(queue), limit) for queue in queues]
    except pika.exceptions.ChannelClosedByBroker as error:
        raise DeadLetterProblem(f"RabbitMQ refused to show the dead letters: {error.reply_text}.") from None
    except pika.exceptions.AMQPConnectionError:
        raise BrokerUnreachable("The connection to RabbitMQ was lost; is the broker stopped?") from None
    finally:
        if connection.is_open:
            connection.close()


def waiting(url: str, queue: str) -> int:
    """How many messages the queue's DLQ holds."""
    connection = connect(url)
    try:
        return _existing_depth(connection, dead_letter_queue(queue))
    finally:
        connection.close()


def replay(url: str, queue: str, *, count: int | None = None) -> int:
    """Move up to `count` messages (all when None) from the queue's DLQ back to the queue,
    oldest first; returns how many moved."""
    source = dead_letter_queue(queue)
    replayed = 0
    connection = connect(url)
    try:
        _existing_depth(connection, queue)
        depth = _existing_depth(connection, source)
        channel = connection.channel()
        channel.confirm_delivery()
        # Bounded by today's depth: a message that fails again comes back to the DLQ and
        # must not go round forever.
        for _ in range(min(depth, count) if count else depth):
            method, properties, body = channel.basic_get(source, auto_ack=False)
            if method is None:
                break
            try:
                # The default exchange reaches `queue` alone: the event's other subscribers had it already.
                channel.basic_publish("", queue, body, _replayed_properties(properties), mandatory=True)
            except (pika.exceptions.UnroutableError, pika.exceptions.NackError) as error:
                channel.basic_nack(method.delivery_tag, requeue=True)
                raise DeadLetterProblem(
                    f"RabbitMQ did not take the copy for {queue} ({type(error).__name__}) after {replayed} "
                    f"message(s) were replayed; the rest are still in {source}. Check `ecomctl queues` and run "
                    "the command again."
                ) from None
            # Acked only now that the copy is confirmed: a crash in between leaves a
            # duplicate, which the consumer's inbox drops by event id, never a loss.
            channel.basic_ack(method.delivery_tag)
            replayed += 1
    except pika.exceptions.ChannelClosedByBroker as error:
        raise DeadLetterProblem(
            f"RabbitMQ stopped the replay after {replayed} message(s): {error.reply_text}. "
            f"The rest are still in {source}; fix that and run the command again."
        ) from None
    except pika.exceptions.AMQPConnectionError:
        raise BrokerUnreachable(
            f"The connection to RabbitMQ was lost after {replayed} message(s) were replayed; the rest are still "
            f"in {source}. Run the command again once the broker is back (`ecomctl start rabbitmq`)."
        ) from None
    finally:
        if connection.is_open:
            connection.close()
    return replayed


def returns_count_towards_a_limit(version: str) -> bool:
    """RabbitMQ 4.0 to 4.2 give every quorum queue a delivery limit of 20 unless declared
    otherwise and count each return towards it; a DLQ past it drops the message."""
    found = re.match(r"(\d+)\.(\d+)", version)
    if found is None:
        return False
    return (4, 0) <= (int(found[1]), int(found[2])) < (4, 3)


def _refuse_where_looking_drops(connection: pika.BlockingConnection) -> None:
    # The version the broker announced when connecting; pika keeps it on the connection's core.
    version = _text(connection._impl.server_properties.get("version")) or ""
    if returns_count_towards_a_limit(version):
        raise DeadLetterProblem(
            f"RabbitMQ {version} counts every look at a quorum queue towards a delivery limit of 20 and then "
            "drops the message, so ecomctl does not list dead letters there. Use RabbitMQ 3.x, or 4.3 or later; "
            "`ecomctl dead-letters replay` works on any version."
        )


def _existing_depth(connection: pika.BlockingConnection, name: str) -> int:
    depth = _depth(connection, name)
    if depth is None:
        raise DeadLetterProblem(
            f"The queue {name} does not exist yet: its consumer declares it when it first starts. "
            "Start the stack with `ecomctl up`."
        )
    return depth


def _depth(connection: pika.BlockingConnection, name: str) -> int | None:
    channel = connection.channel()
    try:
        depth = channel.queue_declare(queue=name, passive=True).method.message_count
    except pika.exceptions.ChannelClosedByBroker as error:
        if error.reply_code == NOT_FOUND:
            return None  # a passive declare of a missing queue closes the channel
        raise DeadLetterProblem(f"RabbitMQ refused to open the queue {name}: {error.reply_text}.") from None
    channel.close()
    return depth


def _peek_one(connection: pika.BlockingConnection, name: str, limit: int) -> DeadLetterQueue:
    depth = _depth(connection, name)
    if not depth:
        return DeadLetterQueue(name, depth, [])
    channel = connection.channel()
    messages: list[DeadLetter] = []
    taken = 0
    # Every message is taken, not only the first `limit`: a quorum queue puts returned
    # messages at its back, so only returning all of them at once keeps their order.
    for _ in range(depth):
        method, properties, body = channel.basic_get(name, auto_ack=False)
        if method is None:
            break
        taken += 1
        if len(messages) < limit:
            messages.append(_dead_letter(properties, body))
    if taken:
        # Returned, not acked: each return adds one to x-delivery-count, harmless as a DLQ has no delivery limit.
        channel.basic_nack(delivery_tag=0, multiple=True, requeue=True)
    channel.close()
    return DeadLetterQueue(name, depth, messages)


def _dead_letter(properties: pika.BasicProperties, body: bytes) -> DeadLetter:
    envelope = _envelope(body)
    return DeadLetter(
        event_id=_text(envelope.get("id")) or properties.message_id,
        event_type=_text(envelope.get("type")) or properties.type,
        correlation_id=_text(envelope.get("correlation_id")) or properties.correlation_id,
        deaths=_deaths(properties.headers or {}),
        body_preview=None if envelope else body[:PREVIEW_BYTES].decode(errors="replace"),
    )


def _envelope(body: bytes) -> dict:
    """The event envelope in the body; empty when the body is not one."""
    try:
        envelope = json.loads(body)
    except ValueError:  # not JSON, or not UTF-8
        return {}
    return envelope if isinstance(envelope, dict) and {"id", "type"} <= envelope.keys() else {}


def _deaths(headers: dict) -> tuple[Death, ...]:
    return tuple(
        Death(
            reason=_text(death.get("reason")) or "?",
            count=int(death.get("count") or 0),
            queue=_text(death.get("queue")) or "?",
        )
        for death in headers.get("x-death") or []
        if isinstance(death, dict)
    )


def _text(value: object) -> str | None:
    if value is None:
        return None
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _replayed_properties(original: pika.BasicProperties) -> pika.BasicProperties:
    headers = {
        name: value
        for name, value in (original.headers or {}).items()
        if name not in BROKER_HEADERS and not name.startswith(BROKER_HEADER_PREFIXES)
    }
    return pika.BasicProperties(
        message_id=original.message_id,
        type=original.type,
        correlation_id=original.correlation_id,
        content_type=original.content_type,
        content_encoding=original.content_encoding,
        app_id=original.app_id,
        timestamp=original.timestamp,
        headers=headers or None,
        delivery_mode=pika.DeliveryMode.Persistent,
    )
